package dev.trampoline.runtime.remote.internal.pool;

import static dev.trampoline.runtime.remote.internal.pool.PoolHarness.answer;
import static dev.trampoline.runtime.remote.internal.pool.PoolHarness.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;

import org.junit.jupiter.api.Test;
import org.osgi.util.promise.Promise;

import dev.trampoline.runtime.remote.CallOptions;
import dev.trampoline.runtime.remote.CallRejectedException;
import dev.trampoline.runtime.remote.CallTimeoutException;
import dev.trampoline.runtime.remote.ChildFailedException;
import dev.trampoline.runtime.remote.internal.process.ChildProcess;
import dev.trampoline.runtime.remote.internal.process.ScriptedChild;
import dev.trampoline.runtime.remote.internal.wire.Frame;
import dev.trampoline.runtime.remote.internal.wire.ReadLimit;

/**
 * What happens to a call between its submission and its answer: it waits for room in a bounded queue, in order
 * of arrival; it may time out or be cancelled while it waits or runs; and a child that fails it, cannot start,
 * never gets ready or breaks the protocol ends it saying why. Over scripted children (see {@link ScriptedChild});
 * the time limit is only against a hang, and no assertion depends on the machine's speed.
 */
class QueueAndCancelTest extends ScriptedPoolTest {

    /** A grace no test outlives: a cancelled call's child is never killed for it while the test runs. */
    private static final long NEVER_OVER = 3_600_000;

    /** Test settings with at most {@code maxChildren} children of {@code maxCallsInFlight} calls each. */
    private PoolHarness harness(int maxChildren, int maxCallsInFlight, int queueSize, long startTimeoutMillis,
            long cancelGraceMillis) {
        return harness(new PoolSettings(0, 0, 0, maxChildren, maxCallsInFlight, queueSize, 10_000,
                startTimeoutMillis, cancelGraceMillis));
    }

    /** The scripts of every call any child has received so far. */
    private static List<String> callsReceived(PoolHarness h) {
        return h.children.started().stream().flatMap(c -> c.received().stream())
                .filter(f -> f.kind() == Frame.CALL).map(f -> f.payload().utf8()).toList();
    }

    /** The scripts of the waiting calls ({@code hold:wN}) any child has received so far, sorted. */
    private static List<String> waitingCallsReceived(PoolHarness h) {
        return callsReceived(h).stream().filter(s -> s.startsWith("hold:w")).sorted().toList();
    }

    /** Waits until a child has received the call {@code script}. */
    private static void awaitReceived(PoolHarness h, String script) throws InterruptedException {
        PoolHarness.until(() -> callsReceived(h).contains(script));
    }

    @Test
    void callsWaitingForRoomStartInOrderOfArrivalAsRoomAppears() throws Exception {
        PoolHarness h = harness(2, 2, 10, 0, 0);
        List<Promise<Object>> running = List.of(h.call("hold:r1"), h.call("hold:r2"), h.call("hold:r3"),
                h.call("hold:r4"));
        List<Promise<Object>> waiting = List.of(h.call("hold:w1"), h.call("hold:w2"), h.call("hold:w3"));
        for (int i = 1; i <= 4; i++) {
            awaitReceived(h, "hold:r" + i);
        }
        assertEquals(2, h.children.started().size(), "two children of two calls each: the pool is full");

        for (int i = 1; i <= 3; i++) {
            h.children.open("r" + i); // room for one call
            assertTrue(answer(running.get(i - 1)).startsWith("r" + i + "@"));
            int roomsSoFar = i;
            PoolHarness.until(() -> waitingCallsReceived(h).size() >= roomsSoFar);
            assertEquals(List.of("hold:w1", "hold:w2", "hold:w3").subList(0, i), waitingCallsReceived(h),
                    "each room went to the oldest waiting call, the others wait as no child has room for them");
        }
        h.children.open("r4");
        for (int i = 1; i <= 3; i++) {
            h.children.open("w" + i);
            assertTrue(answer(waiting.get(i - 1)).startsWith("w" + i + "@"));
        }
        assertEquals(2, h.children.started().size(), "the waiting calls ran in the pool's children");
    }

    @Test
    void aCallBeyondAFullQueueFailsAtOnceNamingQueueSizeAndTheWaitingOnesStillRun() throws Exception {
        PoolHarness h = harness(1, 1, 2, 0, 0);
        Promise<Object> running = h.call("hold:run");
        Promise<Object> first = h.call("echo:first");
        Promise<Object> second = h.call("echo:second");

        Promise<Object> rejected = h.call("echo:rejected");

        assertTrue(rejected.isDone(), "failed in its submit, not after a wait");
        Throwable e = failure(rejected);
        assertInstanceOf(CallRejectedException.class, e);
        assertTrue(e.getMessage().contains("trampoline.pool.queueSize=2"), e.getMessage());
        h.children.open("run");
        long pid = pidOf(answer(running));
        assertEquals("first@" + pid, answer(first));
        assertEquals("second@" + pid, answer(second));
        assertFalse(callsReceived(h).contains("echo:rejected"));
    }

    @Test
    void withAQueueSizeOfZeroACallThatFindsEveryChildBusyFailsAtOnceAndOneThatFindsRoomRuns() throws Exception {
        PoolHarness h = harness(1, 1, 0, 0, 0);
        Promise<Object> running = h.call("hold:run");

        Promise<Object> refused = h.call("echo:refused");

        assertTrue(refused.isDone(), "no call may wait: it fails in its submit");
        Throwable e = failure(refused);
        assertInstanceOf(CallRejectedException.class, e);
        assertTrue(e.getMessage().contains("trampoline.pool.queueSize=0"), e.getMessage());
        h.children.open("run");
        long pid = pidOf(answer(running));
        assertEquals("after@" + pid, answer(h.call("echo:after")));
        assertEquals(List.of("hold:run", "echo:after"), callsReceived(h));
    }

    @Test
    void aCallWhoseTimeLimitPassesWhileItWaitsFailsAndNeverReachesAChild() throws Exception {
        PoolHarness h = harness(1, 1, 10, 0, 0);
        Promise<Object> running = h.call("hold:run");

        Throwable late = failure(h.call("echo:late", CallOptions.DEFAULT.withTimeout(Duration.ofMillis(20))));

        assertInstanceOf(CallTimeoutException.class, late);
        assertTrue(late.getMessage().contains("did not start within 20 ms"), late.getMessage());
        h.children.open("run");
        long pid = pidOf(answer(running));
        assertEquals("after@" + pid, answer(h.call("echo:after")), "the room went to the next call");
        // The child's frames come in order: had the late call been sent, it would have come before this one's.
        assertEquals(List.of("hold:run", "echo:after"), callsReceived(h));
    }

    @Test
    void aCallCancelledWhileItWaitsFailsAndNeverReachesAChild() throws Exception {
        PoolHarness h = harness(1, 1, 10, 0, 0);
        Promise<Object> running = h.call("hold:run");
        Promise<Object> waiting = h.call("echo:waiting");

        assertTrue(h.dispatcher.cancel(waiting));

        assertInstanceOf(CancellationException.class, failure(waiting));
        assertFalse(h.dispatcher.cancel(waiting), "a settled call is not cancelled twice");
        h.children.open("run");
        long pid = pidOf(answer(running));
        assertEquals("after@" + pid, answer(h.call("echo:after")));
        assertEquals(List.of("hold:run", "echo:after"), callsReceived(h));
    }

    @Test
    void aRunningCallCancelledIsInterruptedInItsChildWhichServesTheNextCall() throws Exception {
        PoolHarness h = harness(PoolHarness.SETTINGS);
        Promise<Object> running = h.call("hold:never");
        awaitReceived(h, "hold:never");
        ScriptedChild child = h.children.awaitStarted(1);

        assertTrue(h.dispatcher.cancel(running));

        assertInstanceOf(CancellationException.class, failure(running));
        PoolHarness.until(() -> child.receivedKinds().contains(Frame.CANCEL));
        // The interrupted call answers; until then the child is taken last (a new one would take the next call).
        PoolHarness.until(() -> h.child(child.pid()).cancellingCalls() == 0);
        assertEquals("next@" + child.pid(), answer(h.call("echo:next")));
        assertEquals(1, h.children.started().size());
    }

    @Test
    void aCancelledCallThatIgnoresItsInterruptPastTheGraceGetsItsChildKilledOnceItsOtherCallsEnd()
            throws Exception {
        PoolHarness h = harness(4, 4, 10, 0, 50);
        Promise<Object> stubborn = h.call("stubborn:never");
        Promise<Object> other = h.call("hold:other");
        awaitReceived(h, "stubborn:never");
        awaitReceived(h, "hold:other");
        ScriptedChild child = h.children.awaitStarted(1);
        assertEquals(1, h.children.started().size(), "both calls run in one child");
        ChildProcess pooled = h.child(child.pid());

        assertTrue(h.dispatcher.cancel(stubborn));

        assertInstanceOf(CancellationException.class, failure(stubborn));
        PoolHarness.until(() -> pooled.state() == ChildProcess.State.RETIRING); // the grace is over
        assertTrue(child.isAlive(), "it finishes the other caller's call first");
        assertFalse(other.isDone());
        h.children.open("other");
        assertEquals("other@" + child.pid(), answer(other));
        assertEquals(137, child.onExit().join().exitValue(), "killed: closing its channel might not end it");
        assertNotEquals(child.pid(), pidOf(answer(h.call("echo:next"))), "a new child takes the next call");
    }

    @Test
    void aCancelledCallThatIgnoresItsInterruptButEndsWithinTheGraceLeavesItsChildServing() throws Exception {
        PoolHarness h = harness(4, 4, 10, 0, NEVER_OVER);
        Promise<Object> stubborn = h.call("stubborn:late");
        awaitReceived(h, "stubborn:late");
        ScriptedChild child = h.children.awaitStarted(1);

        assertTrue(h.dispatcher.cancel(stubborn));

        assertInstanceOf(CancellationException.class, failure(stubborn), "the caller does not wait for its end");
        PoolHarness.until(() -> child.receivedKinds().contains(Frame.CANCEL));
        assertEquals(1, h.child(child.pid()).cancellingCalls(), "the cancel did not end it: it still runs there");
        h.children.open("late"); // its code ends on its own, well within the grace
        PoolHarness.until(() -> h.child(child.pid()).cancellingCalls() == 0);
        assertEquals(ChildProcess.State.READY, h.child(child.pid()).state());
        assertEquals("next@" + child.pid(), answer(h.call("echo:next")));
        assertTrue(child.isAlive());
    }

    @Test
    void aCallThatFailsInItsChildFailsWithTheChildsAnswerAndTheChildServesTheNextCall() throws Exception {
        PoolHarness h = harness(PoolHarness.SETTINGS);

        Throwable failed = failure(h.call("fail:no such order"));

        assertInstanceOf(PoolHarness.AnsweredFailure.class, failed);
        assertEquals("no such order", failed.getMessage());
        long pid = h.children.awaitStarted(1).pid();
        assertEquals("next@" + pid, answer(h.call("echo:next")));
        assertEquals(1, h.children.started().size());
    }

    @Test
    void aChildThatCannotStartFailsItsCallSayingWhyAndTheNextStartIsTriedAgain() throws Exception {
        PoolHarness h = harness(PoolHarness.SETTINGS);
        h.children.failStarts(new IOException("no java"));

        Throwable failed = failure(h.call("echo:first"));

        assertInstanceOf(ChildFailedException.class, failed);
        assertTrue(failed.getMessage().contains("Cannot start a child"), failed.getMessage());
        assertTrue(failed.getMessage().contains("no java"), failed.getMessage());
        h.children.failStarts(null);
        assertTrue(answer(h.call("echo:second")).startsWith("second@"));
    }

    @Test
    void aChildNotReadyWithinTheStartTimeoutIsKilledAndItsCallFailsNamingTheLimit() throws Exception {
        PoolHarness h = harness(4, 4, 10, 50, 0);
        h.children.bootOnlyAt("never");

        Throwable failed = failure(h.call("echo:first"));

        assertInstanceOf(ChildFailedException.class, failed);
        assertTrue(failed.getMessage().contains("trampoline.pool.startTimeoutMillis"), failed.getMessage());
        assertEquals(137, h.children.started().get(0).onExit().join().exitValue());
        h.children.bootOnlyAt(null);
        h.pool.settings(PoolHarness.SETTINGS); // no start limit: a booting child may be slow on a busy machine
        assertTrue(answer(h.call("echo:second")).startsWith("second@"), "the killed child left the pool");
    }

    @Test
    void aChildThatAnnouncesAFrameLargerThanAllowedIsKilledAndItsCallFailsSayingSo() throws Exception {
        PoolHarness h = harness(PoolHarness.SETTINGS);

        Throwable failed = failure(h.call("huge"));

        assertInstanceOf(ChildFailedException.class, failed);
        String allowed = "more than the " + ReadLimit.standard().maxFrame() + " a frame may carry";
        assertTrue(failed.getMessage().contains(allowed), failed.getMessage());
        assertEquals(137, h.children.started().get(0).onExit().join().exitValue());
        assertTrue(answer(h.call("echo:next")).startsWith("next@"), "a new child takes the next call");
    }
}
