package dev.trampoline.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.trampoline.runtime.remote.CallOptions;
import dev.trampoline.runtime.remote.ChildFailedException;
import dev.trampoline.runtime.remote.RemoteExecutor;
import dev.trampoline.runtime.remote.RemoteTask;

/** The pool's settings, from framework properties and from a configuration file in the deploy folder. */
class PoolSettingsTest {

    @TempDir
    Path root;
    DeployFixture fx;

    @AfterEach
    void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    private RemoteExecutor start(Map<String, String> properties) throws Exception {
        Map<String, String> all = new java.util.HashMap<>(properties);
        all.put("trampoline.child.cds", "false");
        all.put("trampoline.remote.allow", "dev.trampoline.itests.*");
        fx = new DeployFixture(root, all, "dev.trampoline.runtime.remote;version=2.2.0",
                "org.osgi.util.promise;version=1.3.0", "org.osgi.util.function;version=1.2.0");
        return fx.runtime().service(RemoteExecutor.class, Duration.ofSeconds(10));
    }

    private static long pid(RemoteExecutor executor) throws Exception {
        return (Long) executor.run((RemoteTask<Long>) context -> ProcessHandle.current().pid(), CallOptions.DEFAULT)
                .getValue();
    }

    private static Set<Long> children() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive).map(ProcessHandle::pid)
                .collect(Collectors.toSet());
    }

    @Test
    void idleChildExitsAfterTheIdleTimeout() throws Exception {
        RemoteExecutor executor = start(Map.of("trampoline.pool.idleTimeoutMillis", "500"));

        long child = pid(executor);

        Eventually.until("the idle child exits", () -> !children().contains(child), () -> children().toString());
        assertNotEquals(child, pid(executor), "the next call gets a new child");
    }

    @Test
    void childNotReadyWithinTheStartTimeoutIsKilledAndItsCallFailsSayingWhy() throws Exception {
        RemoteExecutor executor = start(Map.of("trampoline.pool.startTimeoutMillis", "3000"));
        TestBundle.named("hangs.in.children", "1.0.0").importing("org.osgi.framework")
                .header("Bundle-Activator", "hangs.Activator")
                .source("hangs.Activator", "package hangs;\n"
                        + "public final class Activator implements org.osgi.framework.BundleActivator {\n"
                        + "  public void start(org.osgi.framework.BundleContext c) throws Exception {\n"
                        + "    if (\"true\".equals(c.getProperty(\"trampoline.child\"))) Thread.sleep(Long.MAX_VALUE);\n"
                        + "  }\n"
                        + "  public void stop(org.osgi.framework.BundleContext c) { }\n"
                        + "}\n")
                .writeTo(fx.deploy.resolve("hangs.jar"));
        Eventually.until("the bundle is ACTIVE here", () -> fx.isActive("hangs.in.children"), fx::describe);

        ChildFailedException e = assertThrows(ChildFailedException.class, () -> DeployFixture.await(
                executor.run((RemoteTask<String>) context -> "never", CallOptions.DEFAULT)));

        assertTrue(e.getMessage().contains("was not ready 3000 ms after its start"), e.getMessage());
        assertTrue(e.getMessage().contains("trampoline.pool.startTimeoutMillis"), e.getMessage());
        Eventually.until("the child is gone", () -> children().isEmpty(), () -> children().toString());
    }

    @Test
    void childRetiresAfterItsMaximumNumberOfCalls() throws Exception {
        RemoteExecutor executor = start(Map.of("trampoline.pool.maxCallsPerChild", "2"));

        long first = pid(executor);
        assertEquals(first, pid(executor));
        long third = pid(executor);

        assertNotEquals(first, third, "the third call goes to a new child");
        Eventually.until("the worn-out child exits", () -> !children().contains(first), () -> children().toString());
    }

    /** Counts, in the child, the order in which calls ran. */
    static final class Order {
        static final java.util.concurrent.atomic.AtomicInteger RAN = new java.util.concurrent.atomic.AtomicInteger();

        private Order() {
        }
    }

    private static org.osgi.util.promise.Promise<Integer> slowCall(RemoteExecutor executor, long millis,
            CallOptions options) {
        return executor.run((RemoteTask<Integer>) context -> {
            int n = Order.RAN.incrementAndGet();
            Thread.sleep(millis);
            return n;
        }, options);
    }

    /** A call that runs, counted as {@link #slowCall}'s, until the file {@code release} exists. */
    private static org.osgi.util.promise.Promise<Integer> heldCall(RemoteExecutor executor, Path release) {
        String file = release.toString(); // a Path is not serializable
        return executor.run((RemoteTask<Integer>) context -> {
            int n = Order.RAN.incrementAndGet();
            while (!Files.exists(Path.of(file))) {
                Thread.sleep(5); // released by the test: waits for that, however slow the machine
            }
            return n;
        }, CallOptions.DEFAULT);
    }

    @Test
    void callsBeyondEveryChildsRoomWaitInOrderAndAFullQueueFailsAtOnce() throws Exception {
        RemoteExecutor executor = start(Map.of("trampoline.pool.maxChildren", "1",
                "trampoline.pool.maxCallsInFlight", "1", "trampoline.pool.queueSize", "2"));
        pid(executor); // the one child is up

        Path release = root.resolve("release");
        var a = heldCall(executor, release);
        var b = slowCall(executor, 10, CallOptions.DEFAULT);
        var c = slowCall(executor, 10, CallOptions.DEFAULT);
        var d = slowCall(executor, 10, CallOptions.DEFAULT);

        assertTrue(d.isDone(), "a full queue fails at once");
        Files.createFile(release);
        assertInstanceOf(dev.trampoline.runtime.remote.CallRejectedException.class, d.getFailure());
        assertTrue(d.getFailure().getMessage().contains("queueSize=2"), d.getFailure().getMessage());
        assertEquals(List.of(1, 2, 3), List.of(a.getValue(), b.getValue(), c.getValue()), "run in order of arrival");
        assertEquals(1, children().size(), "never more than maxChildren");
    }

    @Test
    void waitingCallTimesOutOrIsCancelledSayingItNeverStarted() throws Exception {
        RemoteExecutor executor = start(Map.of("trampoline.pool.maxChildren", "1",
                "trampoline.pool.maxCallsInFlight", "1"));
        pid(executor);
        Path release = root.resolve("release");
        var busy = heldCall(executor, release);

        var late = slowCall(executor, 10, CallOptions.DEFAULT.withTimeout(Duration.ofMillis(300)));
        var cancelled = slowCall(executor, 10, CallOptions.DEFAULT);
        assertTrue(executor.cancel(cancelled));

        Throwable timeout = late.getFailure();
        assertInstanceOf(dev.trampoline.runtime.remote.CallTimeoutException.class, timeout);
        assertTrue(timeout.getMessage().contains("did not start within 300 ms"), timeout.getMessage());
        assertTrue(cancelled.getFailure().getMessage().contains("while it waited"), cancelled.getFailure().getMessage());
        Files.createFile(release);
        assertEquals(1, busy.getValue(), "the running call was not disturbed");
    }

    @Test
    void cancellingTheRunningCallLetsTheWaitingOneStart() throws Exception {
        RemoteExecutor executor = start(Map.of("trampoline.pool.maxChildren", "1",
                "trampoline.pool.maxCallsInFlight", "1"));
        pid(executor);
        var running = slowCall(executor, 60_000, CallOptions.DEFAULT);
        var waiting = slowCall(executor, 10, CallOptions.DEFAULT);
        Thread.sleep(300);
        assertTrue(!waiting.isDone(), "it waits for the one place");

        assertTrue(executor.cancel(running));

        assertEquals(2, waiting.getValue(), "the waiting call ran once the place was free");
    }

    @Test
    void configurationFileInTheDeployFolderSetsThePoolAndDeletingItGoesBack() throws Exception {
        // No spare JVM: every child process of this JVM is then one of the pool's.
        RemoteExecutor executor = start(Map.of("trampoline.child.spare", "false"));
        long serviceId = serviceId();
        assertEquals(Set.of(), children(), "no standby children by default");

        Path file = fx.deploy.resolve("dev.trampoline.remote.pool.cfg");
        Files.writeString(file, "standby = 1\n");
        Eventually.until("a standby child starts", () -> children().size() == 1, () -> children().toString());
        long standby = children().iterator().next();

        Files.writeString(file, "standby = 2\n");
        Eventually.until("the changed file reaches the running pool: a second standby child starts",
                () -> children().size() == 2 && children().contains(standby), () -> children().toString());

        Files.delete(file);
        Eventually.until("the standby children go with the configuration", () -> children().isEmpty(),
                () -> children().toString());
        assertEquals(serviceId, serviceId(), "the executor took each change in place: the same service throughout");
        assertTrue(pid(executor) > 0, "it still runs calls");
    }

    private long serviceId() throws Exception {
        var context = fx.runtime().framework().getBundleContext();
        var references = context.getAllServiceReferences(RemoteExecutor.class.getName(), null);
        assertEquals(1, references.length);
        return (Long) references[0].getProperty("service.id");
    }
}
