package dev.trampoline.runtime.remote.internal.pool;

import static dev.trampoline.runtime.remote.internal.pool.PoolHarness.answer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;

import org.junit.jupiter.api.Test;
import org.osgi.util.promise.Promise;

import dev.trampoline.runtime.contract.internal.ChildProperties;
import dev.trampoline.runtime.remote.internal.process.Heartbeat;
import dev.trampoline.runtime.remote.internal.process.ScriptedChild;
import dev.trampoline.runtime.remote.internal.wire.Frame;
import dev.trampoline.runtime.remote.internal.wire.Payload;

/**
 * Heartbeats from the pool to its children, for a launch that asks for them (children on other hosts), over
 * scripted children that record every frame they are sent. Each outcome is a frame received, an answer or an
 * exit; the shortest timeout keeps the tests quick, and nothing depends on how fast the machine is.
 */
class HeartbeatTest extends ScriptedPoolTest {

    private static final Heartbeat QUICK = new Heartbeat(Heartbeat.MIN_TIMEOUT_MILLIS);
    private static final String TIMEOUT_OPTION = "-D" + ChildProperties.HEARTBEAT_TIMEOUT + "=";

    @Test
    void aStartedChildIsSentHeartbeatsWhileIdleAndToldItsTimeoutInItsCommand() throws Exception {
        PoolHarness h = harness(PoolHarness.SETTINGS, QUICK);
        long pid = pidOf(answer(h.call("echo:one")));
        ScriptedChild child = h.children.awaitStarted(1);

        assertTrue(child.awaitReceived(Frame.HEARTBEAT, 3), "the idle child is sent heartbeats");

        assertEquals(pid, child.pid());
        assertTrue(child.command().jvmOptions().contains(TIMEOUT_OPTION + QUICK.timeoutMillis()),
                "the child learns the timeout from its command: " + child.command().jvmOptions());
        for (Frame f : child.received()) {
            if (f.kind() == Frame.HEARTBEAT) {
                assertEquals(0, f.callId());
                assertEquals(Payload.EMPTY.size(), f.payload().size(), "an empty payload");
            }
        }
        assertEquals(pid, pidOf(answer(h.call("echo:two"))), "and still serves calls between them");
    }

    @Test
    void aLaunchWithoutHeartbeatsSendsNoneWhileAnotherPoolsChildGetsSeveral() throws Exception {
        PoolHarness plain = harness(PoolHarness.SETTINGS);
        answer(plain.call("echo:plain"));
        ScriptedChild quiet = plain.children.awaitStarted(1);

        // The other pool's heartbeats are the clock: three of them mean intervals passed for this pool too.
        try (PoolHarness beating = new PoolHarness(Files.createDirectories(dir.resolve("beating")),
                PoolHarness.SETTINGS, QUICK)) {
            answer(beating.call("echo:beating"));
            assertTrue(beating.children.awaitStarted(1).awaitReceived(Frame.HEARTBEAT, 3));
        }

        assertFalse(quiet.receivedKinds().contains(Frame.HEARTBEAT), "frames: " + quiet.receivedKinds());
        assertTrue(quiet.command().jvmOptions().stream().noneMatch(o -> o.startsWith(TIMEOUT_OPTION)),
                "no timeout in its command: " + quiet.command().jvmOptions());
    }

    @Test
    void aRetiringChildIsSentHeartbeatsUntilItsLastCallEndsAndItsChannelCloses() throws Exception {
        PoolHarness h = harness(PoolHarness.SETTINGS, QUICK);
        Promise<Object> held = h.call("hold:last");
        ScriptedChild child = h.children.awaitStarted(1);
        h.changeBundleSet("b"); // the child retires: it takes no new call and its channel closes once idle

        assertTrue(child.awaitReceived(Frame.HEARTBEAT, 3), "its call runs on: it must not think its parent gone");

        h.children.open("last");
        assertEquals("last@" + child.pid(), answer(held));
        assertEquals(0, child.onExit().join().exitValue(), "its channel closed once its call was answered");
    }

    @Test
    void closingThePoolEndsItsChildrenCleanlyWithHeartbeatsToo() throws Exception {
        PoolHarness h = harness(PoolHarness.SETTINGS, QUICK);
        answer(h.call("echo:one"));
        ScriptedChild child = h.children.awaitStarted(1);
        assertTrue(child.awaitReceived(Frame.HEARTBEAT, 1));

        h.pool.close();

        assertEquals(0, child.onExit().join().exitValue(), "its channel closed");
        assertTrue(h.pool.children().isEmpty());
    }
}
