package dev.trampoline.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.ServiceReference;

import dev.trampoline.runtime.remote.CallOptions;
import dev.trampoline.runtime.remote.RemoteExecutor;
import dev.trampoline.runtime.remote.RemoteTask;

/** Code running in a child uses the child's own executor: its calls run in children of that child. */
class CallsFromAChildTest {

    @Test
    void aTaskInAChildCanRunATaskInAChildOfItsOwn(@TempDir Path root) throws Exception {
        RemoteTask<String> task = context -> {
            boolean poolBefore = poolThreadsRunning();
            ServiceReference<RemoteExecutor> ref = context.getServiceReference(RemoteExecutor.class);
            RemoteExecutor own = context.getService(ref);
            try {
                RemoteTask<Long> inner = c -> ProcessHandle.current().pid();
                // A time limit, so that a grandchild that never comes up fails the test instead of hanging it.
                long grandchild = own.run(inner, CallOptions.DEFAULT.withTimeout(java.time.Duration.ofSeconds(60)))
                        .getValue();
                long itsParent = ProcessHandle.of(grandchild).flatMap(ProcessHandle::parent).map(ProcessHandle::pid)
                        .orElse(-1L);
                return ProcessHandle.current().pid() + " " + grandchild + " " + itsParent + " " + poolBefore + " "
                        + poolThreadsRunning();
            } finally {
                context.ungetService(ref);
            }
        };

        // Fresh: the child and the grandchildren it started go when the call is over.
        String[] pids;
        try (DeployFixture fx = DeployFixture.forRemoteCalls(root, Map.of())) {
            pids = ((String) DeployFixture.await(fx.executor().run(task, CallOptions.DEFAULT.withFresh(true))))
                    .split(" ");
        }

        assertNotEquals(pids[0], pids[1], "the inner task ran in another process");
        assertEquals(pids[0], pids[2], "started by the child that ran the outer task");
        assertNotEquals(String.valueOf(ProcessHandle.current().pid()), pids[0]);
        assertEquals("false", pids[3], "a child starts its own pool only when it makes a call of its own");
        assertEquals("true", pids[4], "and then it does");
    }

    /** Whether this JVM runs the threads of a started child pool (its timer, its callback threads). */
    static boolean poolThreadsRunning() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith("trampoline-remote-"));
    }
}
