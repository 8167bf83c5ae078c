package dev.trampoline.runtime.remote.internal.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.log.Logger;

import dev.trampoline.runtime.remote.CallOptions;
import dev.trampoline.runtime.remote.ChildFailedException;
import dev.trampoline.runtime.remote.internal.call.PendingCall;
import dev.trampoline.runtime.remote.internal.config.ConfigurationFeed;
import dev.trampoline.runtime.remote.internal.process.ChildLaunch;
import dev.trampoline.runtime.remote.internal.process.ChildProcess;
import dev.trampoline.runtime.remote.internal.wire.Frame;
import dev.trampoline.runtime.remote.internal.wire.Payload;
import dev.trampoline.runtime.remote.internal.wire.ReadLimit;

/**
 * The pool's decisions about children whose JVMs never start (the launcher executor drops the launch), which
 * these decisions never need: where a call goes beside a child whose cancelled call has not answered, and which
 * child a pid names.
 */
class PoolWithoutJvmsTest {

    private static final String SNAPSHOT = "a".repeat(64);
    private static final Logger QUIET = PoolHarness.QUIET;
    private static final ChildProcess.Listener NOBODY = new ChildProcess.Listener() {
        @Override
        public void answered(ChildProcess child, PendingCall call, Frame frame) {
        }

        @Override
        public void died(ChildProcess child, List<PendingCall> orphans, ChildFailedException cause) {
        }
    };

    @TempDir
    Path dir;
    private long ids;

    private ChildPool pool(int maxChildren, int maxCallsInFlight) {
        ChildPool pool = new ChildPool(new ChildLaunch(Path.of("java"), "launcher.jar", "Main", dir, false, null, null),
                new ConfigurationFeed(() -> new byte[0]), ReadLimit.standard(), new PoolLoop(QUIET), launch -> { },
                QUIET, null);
        pool.reportTo(NOBODY);
        pool.settings(new PoolSettings(0, 300_000, 0, maxChildren, maxCallsInFlight, 10, 10_000, 60_000, 10_000));
        return pool;
    }

    private ChildProcess acquire(ChildPool pool) throws Exception {
        return pool.tryAcquire(SNAPSHOT, dir.resolve("snapshot"), CallOptions.DEFAULT).child();
    }

    private long send(ChildProcess child) {
        PendingCall call = new PendingCall(++ids, null, null, null);
        assertTrue(child.post(call, Payload.EMPTY));
        return call.id;
    }

    @Test
    void aChildWithACancelledCallRunningIsTakenLastAndTheCallCountsInItsLimit() throws Exception {
        ChildPool pool = pool(2, 2);
        ChildProcess first = acquire(pool);
        long cancelled = send(first);
        assertSame(first, acquire(pool), "a child with room takes the next call");

        first.cancel(cancelled);
        assertEquals(1, first.callsInFlight(), "in flight until its answer comes");
        assertTrue(first.stillCancelling(cancelled));

        ChildProcess second = acquire(pool);
        assertNotSame(first, second, "a new child rather than the one still running a cancelled call");
        send(second);
        send(second);

        assertSame(first, acquire(pool), "no other child has room and no new one may start: it takes the call");
        send(first);
        assertNull(acquire(pool), "its cancelled call and the new one fill its limit: the next call waits");
    }

    @Test
    void aCallCancelledTwiceStaysCancellingUntilItsAnswer() throws Exception {
        ChildPool pool = pool(2, 2);
        ChildProcess child = acquire(pool);
        long call = send(child);

        child.cancel(call);
        child.cancel(call); // the dispatcher's writer, for a call cancelled while it was handed over

        assertTrue(child.stillCancelling(call));
        assertEquals(1, child.callsInFlight());
    }

    @Test
    void cancellingACallThatIsNotInFlightLeavesTheChildAsItWas() throws Exception {
        ChildPool pool = pool(2, 2);
        ChildProcess child = acquire(pool);

        child.cancel(42);

        assertEquals(0, child.cancellingCalls());
        assertEquals(0, child.callsInFlight());
        assertSame(child, acquire(pool));
    }

    @Test
    void aChildWhoseJvmHasNotStartedCannotBeKilledByThePidOfNone() throws Exception {
        ChildPool pool = pool(2, 2);
        ChildProcess child = acquire(pool); // its JVM never starts here: the launcher drops the launch

        assertEquals(-1, child.pid());
        assertFalse(pool.kill(-1), "tramp:kill -1 names no child");
        assertTrue(child.accepts());
    }
}
