package dev.trampoline.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.ServiceReference;
import org.osgi.util.promise.Promise;

import dev.trampoline.runtime.remote.BulkOptions;
import dev.trampoline.runtime.remote.Outcome;
import dev.trampoline.runtime.remote.RemoteExecutor;
import dev.trampoline.runtime.remote.RemoteMapper;

/**
 * Bulk calls on real child JVMs: inputs in chunks, one call each, spread over children. One runtime for all the
 * tests, at most three children (so the default parallelism starts no more), shared between them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BulkCallTest {

    Path root;
    DeployFixture fx;
    RemoteExecutor executor;
    ServiceReference<Object> jobs;

    @BeforeAll
    @SuppressWarnings("unchecked")
    void start(@TempDir Path root) throws Exception {
        this.root = root;
        fx = DeployFixture.forRemoteCalls(root, Map.of("trampoline.remote.allow", "dev.trampoline.itests.*",
                "trampoline.pool.maxChildren", "3"));
        JobsPlugin.bundle("v1").writeTo(fx.deploy.resolve("jobs.jar"));
        Eventually.until("the jobs plugin is ACTIVE", () -> fx.isActive(JobsPlugin.SYMBOLIC_NAME), fx::describe);
        executor = fx.executor();
        jobs = (ServiceReference<Object>) fx.runtime().bundleContext().getServiceReferences((String) null,
                "(test.name=jobs)")[0];
    }

    @AfterAll
    void stop() {
        fx.close();
    }

    private static List<Integer> upTo(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    /** {@code x + 1}, except for {@code refused}, which throws. Static: the lambda captures no test instance. */
    private static RemoteMapper<Object, Integer, Integer> plusOneRefusing(int refused) {
        return (service, x) -> {
            if (x == refused) {
                throw new IllegalArgumentException("input " + x + " is refused");
            }
            return x + 1;
        };
    }

    @Test
    void outcomesKeepInputOrderAndAnInputThatThrowsFailsAloneAtItsIndex() throws Exception {
        List<Outcome<Integer>> outcomes = executor.map(jobs, plusOneRefusing(537), upTo(1_000),
                BulkOptions.DEFAULT.withChunkSize(100).withParallelism(2)).getValue();

        assertEquals(1_000, outcomes.size());
        for (int i = 0; i < 1_000; i++) {
            Outcome<Integer> o = outcomes.get(i);
            assertEquals(i, o.index());
            if (i == 537) {
                assertFalse(o.succeeded());
                IllegalArgumentException e = assertInstanceOf(IllegalArgumentException.class, o.failure());
                assertEquals("input 537 is refused", e.getMessage());
                assertTrue(List.of(e.getStackTrace()).stream().anyMatch(f -> f.getMethodName().contains("lambda")),
                        "the child's stack is kept");
            } else {
                assertEquals(i + 1, o.value(), "input " + i);
            }
        }
    }

    @Test
    void theUnorderedFormHandsOverEveryOutcomeOnce() throws Exception {
        Map<Long, Integer> seen = new ConcurrentHashMap<>();
        AtomicInteger wrong = new AtomicInteger();

        long count = executor.mapUnordered(jobs, plusOneRefusing(-1), upTo(10_000), BulkOptions.DEFAULT
                .withChunkSize(250), o -> {
                    seen.merge(o.index(), 1, Integer::sum);
                    if (!o.succeeded() || o.value() != o.index() + 1) {
                        wrong.incrementAndGet();
                    }
                }).getValue();

        assertEquals(10_000L, count);
        assertEquals(10_000, seen.size());
        assertTrue(seen.values().stream().allMatch(n -> n == 1), "each once");
        assertEquals(0, wrong.get());
    }

    @Test
    void parallelismTwoSpreadsTheChunksOverTwoChildren() throws Exception {
        RemoteMapper<Object, Integer, Long> pid = (service, x) -> ProcessHandle.current().pid();

        List<Outcome<Long>> outcomes = executor.map(jobs, pid, upTo(8), BulkOptions.DEFAULT.withChunkSize(1)
                .withParallelism(2)).getValue();

        Set<Long> pids = outcomes.stream().map(Outcome::value).collect(Collectors.toSet());
        assertEquals(2, pids.size(), "two children ran the chunks: " + pids);
        assertFalse(pids.contains(ProcessHandle.current().pid()));
        assertTrue(pids.stream().allMatch(p -> ProcessHandle.of(p).isPresent()), "children of this runtime, alive");
    }

    /** Waits in the child until interrupted, leaving a file before and after. */
    private static RemoteMapper<Object, Integer, Integer> waitUntilInterrupted(String marker) {
        return (service, x) -> {
            Files.writeString(Path.of(marker + "." + x + ".started"), "x");
            try {
                Thread.sleep(600_000);
            } catch (InterruptedException e) {
                Files.writeString(Path.of(marker + "." + x + ".interrupted"), "x");
                throw e;
            }
            return x;
        };
    }

    @Test
    void cancellingABulkCallCancelsItsChunksInTheChildren() throws Exception {
        String marker = root.resolve("waiting").toString();
        Promise<List<Outcome<Integer>>> waiting = executor.map(jobs, waitUntilInterrupted(marker), upTo(2),
                BulkOptions.DEFAULT.withChunkSize(1).withParallelism(2));
        Eventually.until("both chunks run, each in its child", () -> Files.exists(Path.of(marker + ".0.started"))
                && Files.exists(Path.of(marker + ".1.started")));

        assertTrue(executor.cancel(waiting));

        assertInstanceOf(CancellationException.class, waiting.getFailure());
        Eventually.until("both chunks were interrupted in their children", () ->
                Files.exists(Path.of(marker + ".0.interrupted")) && Files.exists(Path.of(marker + ".1.interrupted")));
        assertFalse(executor.cancel(waiting), "once only");
        List<Outcome<Integer>> after = executor.map(jobs, plusOneRefusing(-1), upTo(10), BulkOptions.DEFAULT)
                .getValue();
        assertEquals(upTo(10).stream().map(i -> i + 1).toList(), after.stream().map(Outcome::value).toList(),
                "the children serve on");
    }

    @Test
    void aFunctionThatCannotBeSerializedFailsInTheCallersThread() {
        Object notSerializable = new Object();
        RemoteMapper<Object, Integer, String> captures = (service, x) -> notSerializable.toString();

        Exception e = org.junit.jupiter.api.Assertions.assertThrows(
                dev.trampoline.runtime.remote.CallNotSerializableException.class,
                () -> executor.map(jobs, captures, upTo(3), BulkOptions.DEFAULT));
        assertTrue(e.getMessage().contains("java.lang.Object"), e.getMessage());
    }
}
