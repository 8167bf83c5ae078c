package dev.trampoline.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CancellationException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.ServiceReference;
import org.osgi.util.promise.Promise;

import dev.trampoline.runtime.remote.CallOptions;
import dev.trampoline.runtime.remote.RemoteExecutor;

/**
 * A cancelled call counts as running on its child until the child answers it (cancelling is cooperative: code
 * that ignores its interrupt runs on), so new calls go to other children; a child that has not answered
 * {@code trampoline.pool.cancelGraceMillis} after the cancel is killed.
 */
class CancelledCallTest {

    private static ServiceReference<?> jobs(DeployFixture fx) throws Exception {
        return fx.runtime().bundleContext().getServiceReferences((String) null, "(test.name=jobs)")[0];
    }

    private static DeployFixture withJobs(Path root, String graceMillis) throws Exception {
        return withJobs(root, Map.of("trampoline.pool.cancelGraceMillis", graceMillis));
    }

    private static DeployFixture withJobs(Path root, Map<String, String> properties) throws Exception {
        DeployFixture fx = DeployFixture.forRemoteCalls(root, properties);
        JobsPlugin.bundle("v1").writeTo(fx.deploy.resolve("jobs.jar"));
        Eventually.until("the jobs plugin is ACTIVE", () -> fx.isActive(JobsPlugin.SYMBOLIC_NAME), fx::describe);
        return fx;
    }

    @Test
    void aCancelledCallThatIgnoresItsInterruptKeepsNewCallsOffItsChildWhichIsKilledAfterTheGrace(@TempDir Path root)
            throws Exception {
        try (DeployFixture fx = withJobs(root, "2000")) {
            RemoteExecutor executor = fx.executor();
            Path marker = root.resolve("spin");
            Promise<Object> spin = executor.invoke(jobs(fx), "spinIgnoringInterrupts", new Object[] {marker.toString()},
                    CallOptions.DEFAULT);
            Path started = Path.of(marker + ".started");
            Eventually.until("the call runs in the child", () -> !read(started).isEmpty());
            long spinning = Long.parseLong(read(started));

            assertTrue(executor.cancel(spin));
            assertInstanceOf(CancellationException.class, spin.getFailure(), "the caller learns it at once");
            assertEquals("CANCELLING 1", ChildStates.of(executor, spinning), "as tramp:children shows it");

            long next = (Long) DeployFixture.await(executor.invoke(jobs(fx), "pid", new Object[0],
                    CallOptions.DEFAULT));
            assertNotEquals(spinning, next, "the next call goes to another child, not to the busy one");

            Eventually.until("the spinning child is killed after the grace",
                    () -> ProcessHandle.of(spinning).map(p -> !p.isAlive()).orElse(true));
            Eventually.until("the log says why", () -> read(fx.logFile()).lines().anyMatch(l ->
                    l.contains("INFO") && l.contains("Retiring child " + spinning + ": a call cancelled 2000 ms ago")));
            assertEquals(next, DeployFixture.await(executor.invoke(jobs(fx), "pid", new Object[0],
                    CallOptions.DEFAULT)), "the other child serves on");
        }
    }

    @Test
    void aCancelledCallThatEndsOnItsInterruptLeavesItsChildServing(@TempDir Path root) throws Exception {
        // DEBUG: the grace timer says when it found the call answered, the event this test waits for.
        try (DeployFixture fx = withJobs(root, Map.of("trampoline.pool.cancelGraceMillis", "1000",
                "trampoline.log.level", "DEBUG", "org.osgi.service.log.admin.loglevel", "DEBUG"))) {
            RemoteExecutor executor = fx.executor();
            long child = (Long) DeployFixture.await(executor.invoke(jobs(fx), "pid", new Object[0],
                    CallOptions.DEFAULT));
            Path marker = root.resolve("sleep");
            Promise<Object> sleep = executor.invoke(jobs(fx), "sleepUntilInterrupted",
                    new Object[] {marker.toString()}, CallOptions.DEFAULT);
            Eventually.until("the call runs in the child", () -> Files.exists(Path.of(marker + ".started")));

            assertTrue(executor.cancel(sleep));
            Eventually.until("the child's thread was interrupted", () -> Files.exists(marker));
            Eventually.until("its answer came: the child is no longer cancelling",
                    () -> ChildStates.of(executor, child).equals("READY 0"));

            assertEquals(child, DeployFixture.await(executor.invoke(jobs(fx), "pid", new Object[0],
                    CallOptions.DEFAULT)), "the same child takes the next call");
            Eventually.until("the grace passed and found the call answered", () -> logHas(fx,
                    "Child " + child + " answered its cancelled call"), fx::describe);
            assertEquals(child, DeployFixture.await(executor.invoke(jobs(fx), "pid", new Object[0],
                    CallOptions.DEFAULT)), "and it was not killed");
            assertTrue(Files.readString(fx.logFile()).lines().noneMatch(l -> l.contains("a call cancelled")));
        }
    }

    /** A file's text, or "" while it does not exist. */
    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static boolean logHas(DeployFixture fx, String text) {
        try {
            return Files.readString(fx.logFile()).contains(text);
        } catch (java.io.IOException e) {
            return false; // not written yet: look again
        }
    }
}
