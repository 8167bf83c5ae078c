package dev.trampoline.itests;

import static dev.trampoline.itests.DeployFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.util.promise.Promise;

import dev.trampoline.runtime.remote.CallOptions;
import dev.trampoline.runtime.remote.RemoteExecutor;
import dev.trampoline.runtime.remote.RemoteTask;

/**
 * Large byte arrays in arguments, results and exceptions travel beside the object stream, as blobs: intact,
 * shared where they were shared, and as they were when the call was submitted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LargePayloadTest {

    DeployFixture fx;
    RemoteExecutor executor;

    @BeforeAll
    void start(@TempDir Path root) throws Exception {
        fx = DeployFixture.forRemoteCalls(root, Map.of());
        executor = fx.executor();
    }

    @AfterAll
    void stop() {
        fx.close();
    }

    /** Random bytes, the same for the same seed (in the child too: it runs this class). */
    private static byte[] random(int length, long seed) {
        byte[] b = new byte[length];
        new java.util.Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void largeByteArraysCrossBothWaysIntactAndStillShared() throws Exception {
        byte[] big = random(3 * 1024 * 1024, 1);
        byte[] other = random(200_000, 2);
        List<byte[]> arguments = new ArrayList<>(List.of(big, big, other));
        RemoteTask<List<Object>> task = context -> List.of(arguments.get(0) == arguments.get(1),
                Arrays.hashCode(arguments.get(0)), Arrays.hashCode(arguments.get(2)), random(5 * 1024 * 1024, 3));

        @SuppressWarnings("unchecked")
        List<Object> answer = (List<Object>) await(executor.run(task, CallOptions.DEFAULT));

        assertEquals(true, answer.get(0), "one array referenced twice arrived as one array");
        assertEquals(Arrays.hashCode(big), answer.get(1));
        assertEquals(Arrays.hashCode(other), answer.get(2));
        assertTrue(Arrays.equals(random(5 * 1024 * 1024, 3), (byte[]) answer.get(3)), "the result arrived intact");
    }

    /**
     * A payload that cannot be written yet (its child is stopped, so the pipe stays full) holds up only that
     * child: a call submitted meanwhile to another child is sent and answered. Before, the payload was written
     * under the dispatcher's lock, which every submit takes.
     */
    @Test
    void aPayloadStuckInOneChildsPipeDoesNotHoldUpACallToAnother() throws Exception {
        CallOptions laneA = CallOptions.DEFAULT.withEnvironment(Map.of("TRAMPOLINE_TEST_LANE", "a"));
        RemoteTask<Long> pid = context -> ProcessHandle.current().pid();
        long childA = (Long) await(executor.run(pid, laneA));
        long childB = (Long) await(executor.run(pid, CallOptions.DEFAULT));
        assertTrue(childA != childB, "two children: the environment makes another lane");
        ExecutorService submitters = Executors.newCachedThreadPool();
        signal("-STOP", childA); // it reads nothing from now on: its pipe fills, and the payload's write waits
        try {
            byte[] big = random(32 * 1024 * 1024, 4);
            RemoteTask<Integer> large = context -> big.length;
            AtomicReference<Thread> writer = new AtomicReference<>();
            Future<Promise<Integer>> sentToA = submitters.submit(() -> {
                writer.set(Thread.currentThread());
                return executor.run(large, laneA);
            });
            Eventually.until("the call to the stopped child is being written into its pipe",
                    () -> writer.get() != null && Arrays.stream(writer.get().getStackTrace())
                            .anyMatch(f -> f.getClassName().equals("java.io.FileOutputStream")),
                    () -> Arrays.toString(writer.get() == null ? null : writer.get().getStackTrace()));

            Future<Long> answeredByB = submitters.submit(() -> (Long) await(executor.run(pid, CallOptions.DEFAULT)));
            Eventually.until("a call to the other child is answered meanwhile", answeredByB::isDone, () -> "");

            assertEquals(childB, answeredByB.get());
            assertTrue(!sentToA.isDone(), "the payload still waits for the stopped child");
            signal("-CONT", childA);
            assertEquals(big.length, (Integer) await(sentToA.get()));
        } finally {
            signal("-CONT", childA);
            submitters.shutdown();
        }
    }

    /** Sends {@code signal} to process {@code pid} with kill(1). */
    private static void signal(String signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", signal, Long.toString(pid)).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill " + signal + " " + pid);
    }

    /** A failure that carries its data with it. */
    static final class FailedWithData extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final byte[] data;

        FailedWithData(byte[] data) {
            super("failed with " + data.length + " bytes");
            this.data = data;
        }
    }

    @Test
    void exceptionCarryingALargeArrayComesBackWithIt() throws Exception {
        RemoteTask<String> task = context -> {
            throw new FailedWithData(random(2 * 1024 * 1024, 5));
        };

        FailedWithData e = assertThrows(FailedWithData.class, () -> await(executor.run(task, CallOptions.DEFAULT)));

        assertTrue(Arrays.equals(random(2 * 1024 * 1024, 5), e.data), "its array crossed intact");
    }

    @Test
    void arrayRefilledAfterSubmitIsSentAsItWasAtSubmit() throws Exception {
        byte[] buffer = random(1024 * 1024, 4);
        int submitted = Arrays.hashCode(buffer);
        RemoteTask<Integer> task = context -> Arrays.hashCode(buffer);

        // A fresh child: the call waits in the parent until that child is ready, long after the refill below.
        Promise<Integer> answer = executor.run(task, CallOptions.DEFAULT.withFresh(true));
        Arrays.fill(buffer, (byte) 0);

        assertEquals(submitted, await(answer));
    }
}
