package dev.trampoline.runtime.remote.internal.pool;

import static dev.trampoline.runtime.remote.internal.pool.PoolHarness.answer;
import static dev.trampoline.runtime.remote.internal.pool.PoolHarness.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.osgi.util.promise.Promise;

import dev.trampoline.runtime.remote.CallOptions;
import dev.trampoline.runtime.remote.CallRejectedException;
import dev.trampoline.runtime.remote.CallTimeoutException;
import dev.trampoline.runtime.remote.ChildFailedException;
import dev.trampoline.runtime.remote.internal.process.ScriptedChild;

/**
 * The pool's policies, over scripted children that speak the channel's protocol through real pipes (see
 * {@link ScriptedChild}): what the real-JVM itests prove end to end, here in milliseconds. The time limit is only
 * against a hang; no assertion depends on the machine's speed.
 */
class PoolPoliciesTest extends ScriptedPoolTest {

    @Test
    void callsOneAfterAnotherShareOneReusableChild() throws Exception {
        PoolHarness h = harness(PoolHarness.SETTINGS);

        String first = answer(h.call("echo:one"));
        String second = answer(h.call("echo:two"));

        assertTrue(first.startsWith("one@"), first);
        assertEquals(pidOf(first), pidOf(second), "the second call reuses the first one's child");
        assertEquals(1, h.children.started().size());
    }

    @Test
    void freeSlotsCountIdleChildrenThatFitTheCallAndChildrenThePoolMayStillStart() throws Exception {
        PoolHarness h = harness(PoolHarness.SETTINGS); // at most 4 children
        CallOptions ownJvm = CallOptions.DEFAULT.withJvmOptions(java.util.List.of("-Dmine=1"));
        assertEquals(4, h.pool.freeSlots(CallOptions.DEFAULT), "none started: 4 may be");

        long idle = pidOf(answer(h.call("echo:warm")));
        PoolHarness.until(() -> h.child(idle).callsInFlight() == 0);
        assertEquals(4, h.pool.freeSlots(CallOptions.DEFAULT), "3 more may start, and 1 is idle");
        assertEquals(3, h.pool.freeSlots(ownJvm), "the idle child runs other JVM options");
        assertEquals(3, h.pool.freeSlots(CallOptions.DEFAULT.withFresh(true)), "a fresh call needs a new child");

        Promise<Object> held = h.call("hold:busy");
        PoolHarness.until(() -> h.child(idle).callsInFlight() == 1);
        assertEquals(3, h.pool.freeSlots(CallOptions.DEFAULT), "a child running a call has no free slot");
        h.children.open("busy");
        assertEquals(idle, pidOf(answer(held)));
    }

    @Test
    void aSpreadCallsGoToAsManyChildrenAsItsWidthThenShareThem() throws Exception {
        PoolHarness h = harness(PoolHarness.SETTINGS);
        long idle = pidOf(answer(h.call("echo:warm")));
        Spread two = new Spread(2);

        Promise<Object> first = h.call("hold:first", CallOptions.DEFAULT, two);
        Promise<Object> second = h.call("hold:second", CallOptions.DEFAULT, two);
        Promise<Object> third = h.call("hold:third", CallOptions.DEFAULT, two);
        h.children.open("first");
        h.children.open("second");
        h.children.open("third");

        assertEquals(idle, pidOf(answer(first)), "the idle child takes the first");
        long other = pidOf(answer(second));
        assertNotEquals(idle, other, "the second goes to a new child, though the first had room");
        assertTrue(java.util.Set.of(idle, other).contains(pidOf(answer(third))), "the third shares one of the two");
        assertEquals(2, h.children.started().size());
    }

    @Test
    void aSpreadWhoseChildrenAreFullWaitsForThemInsteadOfTakingAnother() throws Exception {
        PoolHarness h = harness(new PoolSettings(0, 0, 0, 4, 1, 10, 10_000, 0, 0)); // one call per child at a time
        Spread one = new Spread(1);

        Promise<Object> first = h.call("hold:a", CallOptions.DEFAULT, one);
        Promise<Object> second = h.call("hold:b", CallOptions.DEFAULT, one);
        long other = pidOf(answer(h.call("echo:other"))); // after the loop placed both: the second waits
        h.children.open("a");
        h.children.open("b");

        long child = pidOf(answer(first));
        assertEquals(child, pidOf(answer(second)), "the second waited for the spread's only child");
        assertNotEquals(child, other, "a call of no bulk call is not held up behind it");
        assertEquals(2, h.children.started().size());
    }

    @Test
    void aChildThatRetiresCountsNoMoreForASpreadOnceItsCallsThereAreOverWhateverElseItRuns() throws Exception {
        PoolHarness h = harness(PoolHarness.SETTINGS);
        Spread one = new Spread(1);
        long first = pidOf(answer(h.call("echo:first", CallOptions.DEFAULT, one)));
        Promise<Object> other = h.call("hold:other"); // another caller's long call on the same child
        h.changeBundleSet("b"); // the child retires once its calls end

        long second = pidOf(answer(h.call("echo:second", CallOptions.DEFAULT, one)));

        assertNotEquals(first, second, "the spread took a child of the new set instead of waiting for the other call");
        h.children.open("other");
        assertEquals(first, pidOf(answer(other)));
    }

    @Test
    void aSpreadOfFreshCallsRunsNoMoreChildrenAtOnceThanItsWidth() throws Exception {
        PoolHarness h = harness(PoolHarness.SETTINGS);
        Spread one = new Spread(1);
        CallOptions fresh = CallOptions.DEFAULT.withFresh(true);

        Promise<Object> first = h.call("hold:a", fresh, one);
        Promise<Object> second = h.call("hold:b", fresh, one);
        answer(h.call("echo:other")); // after the loop placed what it could of both
        // The pool's children, not the processes started: a child's JVM starts on a worker, after its placement.
        assertEquals(2, h.pool.children().size(), "the first fresh child and the other call's");
        h.children.open("a");
        h.children.open("b");

        long firstChild = pidOf(answer(first));
        assertNotEquals(firstChild, pidOf(answer(second)), "each in a child of its own, one after the other");
        assertEquals(3, h.children.started().size());
    }

    @Test
    void aFreshCallRunsInAChildOfItsOwnThatExitsAfterIt() throws Exception {
        PoolHarness h = harness(PoolHarness.SETTINGS);
        long reusable = pidOf(answer(h.call("echo:reusable")));

        String fresh = answer(h.call("echo:fresh", CallOptions.DEFAULT.withFresh(true)));

        assertNotEquals(reusable, pidOf(fresh));
        ScriptedChild freshChild = h.children.started().get(1);
        assertEquals(0, freshChild.onExit().thenApply(Process::exitValue).join(),
                "its channel closed once the call was answered, and it exited cleanly");
        assertEquals(reusable, pidOf(answer(h.call("echo:again"))), "the reusable child stays");
    }

    @Test
    void aPayloadStuckInOneChildsPipeDoesNotHoldUpACallToAnother() throws Exception {
        PoolHarness h = harness(new PoolSettings(0, 0, 0, 4, 2, 10, 10_000, 0, 0));
        Promise<Object> stalled = h.call("stall:pipe"); // its child reads no more of its channel
        long stalledPid = h.children.awaitStarted(1).pid();
        String large = "echo:" + "x".repeat(4 * 1024 * 1024); // far more than a pipe holds
        CompletableFuture<Promise<Object>> stuck = CompletableFuture.supplyAsync(() -> h.call(large));
        PoolHarness.until(() -> h.child(stalledPid) != null && h.child(stalledPid).callsInFlight() == 2);

        String other = answer(h.call("echo:other")); // the stalled child has two calls: this one goes elsewhere

        assertNotEquals(stalledPid, pidOf(other));
        assertFalse(stuck.isDone() && stuck.join().isDone(), "the large call cannot have been answered yet");
        h.children.open("pipe");
        assertEquals("pipe@" + stalledPid, answer(stalled));
        assertTrue(answer(stuck.join()).startsWith("xxxx"));
    }

    @Test
    void aChildThatDiesFailsItsCallSayingHowAndTheNextCallGetsANewChild() throws Exception {
        PoolHarness h = harness(PoolHarness.SETTINGS);

        Throwable died = failure(h.call("exit:3"));

        assertInstanceOf(ChildFailedException.class, died);
        assertTrue(died.getMessage().contains("exited with status 3 while running 1 call(s)"), died.getMessage());
        assertTrue(died.getMessage().contains("exits with status 3"), "its stderr is in the message: "
                + died.getMessage());
        assertNotEquals(h.children.started().get(0).pid(), pidOf(answer(h.call("echo:next"))));
    }

    @Test
    void aChildThatAnswersACallNeverSentIsKilledAndItsCallFails() throws Exception {
        PoolHarness h = harness(PoolHarness.SETTINGS);

        Throwable lied = failure(h.call("lie"));

        assertInstanceOf(ChildFailedException.class, lied);
        assertTrue(lied.getMessage().contains("corrupt channel: the child answered call"), lied.getMessage());
        assertEquals(137, h.children.started().get(0).onExit().join().exitValue());
    }

    @Test
    void aCallOverItsTimeLimitFailsAndItsChildIsKilled() throws Exception {
        PoolHarness h = harness(PoolHarness.SETTINGS);

        Throwable late = failure(h.call("stubborn:never", CallOptions.DEFAULT.withTimeout(Duration.ofMillis(20))));

        assertInstanceOf(CallTimeoutException.class, late);
        for (ScriptedChild child : h.children.started()) { // none, if it was killed before its start
            assertEquals(137, child.onExit().join().exitValue());
        }
        assertTrue(answer(h.call("echo:after")).startsWith("after@"), "a new child takes the next call");
    }

    @Test
    void aCallBeyondAFullQueueFailsBeforeItsSubmitReturns() throws Exception {
        PoolHarness h = harness(new PoolSettings(0, 0, 0, 1, 1, 1, 10_000, 0, 0));
        Promise<Object> running = h.call("hold:first");
        Promise<Object> waiting = h.call("echo:second");

        Promise<Object> rejected = h.call("echo:third");

        assertTrue(rejected.isDone(), "the caller learns it at once, whichever thread runs the pool's loop");
        assertInstanceOf(CallRejectedException.class, rejected.getFailure());
        h.children.open("first");
        assertTrue(answer(running).startsWith("first@"));
        assertTrue(answer(waiting).startsWith("second@"), "the waiting call ran once the place was free");
    }
}
