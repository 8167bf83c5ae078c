package dev.trampoline.runtime.remote.internal.pool;

import static dev.trampoline.runtime.remote.internal.pool.PoolHarness.answer;
import static dev.trampoline.runtime.remote.internal.pool.PoolHarness.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.osgi.util.promise.Promise;

import dev.trampoline.runtime.remote.CallOptions;
import dev.trampoline.runtime.remote.ChildFailedException;
import dev.trampoline.runtime.remote.internal.process.ScriptedChild;
import dev.trampoline.runtime.remote.internal.wire.Frame;

/**
 * A child's life in the pool, from its start to its exit: standby children, moves to a new bundle set,
 * retirement (bundle-set change, call limit, idleness), configuration pushes, kill and close; over scripted
 * children that speak the channel's protocol through real pipes (see {@link ScriptedChild}). Each outcome is
 * waited for (an answer, a failure, an exit, a frame received); the time limit is only against a hang.
 */
class ChildLifecycleTest extends ScriptedPoolTest {

    private static final CallOptions FRESH = CallOptions.DEFAULT.withFresh(true);

    /** The harness's settings with these standby children, idle limit, calls per child and calls in flight. */
    private static PoolSettings settings(int standby, long idleTimeoutMillis, long maxCallsPerChild,
            int maxCallsInFlight) {
        return settings(standby, idleTimeoutMillis, maxCallsPerChild, PoolHarness.SETTINGS.maxChildren(),
                maxCallsInFlight);
    }

    private static PoolSettings settings(int standby, long idleTimeoutMillis, long maxCallsPerChild,
            int maxChildren, int maxCallsInFlight) {
        PoolSettings s = PoolHarness.SETTINGS;
        return new PoolSettings(standby, idleTimeoutMillis, maxCallsPerChild, maxChildren, maxCallsInFlight,
                s.queueSize(), s.moveTimeoutMillis(), s.startTimeoutMillis(), s.cancelGraceMillis());
    }

    private static PoolSettings standby(int count) {
        return settings(count, 0, 0, PoolHarness.SETTINGS.maxCallsInFlight());
    }

    /** The scripted child with {@code pid}. */
    private static ScriptedChild started(PoolHarness h, long pid) {
        return h.children.started().stream().filter(c -> c.pid() == pid).findFirst().orElseThrow();
    }

    /** Waits until {@code count} children started; returns the only one of them whose pid is none of {@code known}. */
    private static ScriptedChild newcomer(PoolHarness h, int count, long... known) throws InterruptedException {
        h.children.awaitStarted(count);
        List<ScriptedChild> others = h.children.started().stream()
                .filter(c -> Arrays.stream(known).noneMatch(pid -> pid == c.pid())).toList();
        assertEquals(1, others.size(), "children started besides " + Arrays.toString(known) + ": " + others);
        return others.get(0);
    }

    /** The status {@code child} exits with, once it has. */
    private static int exitStatus(ScriptedChild child) {
        return child.onExit().join().exitValue();
    }

    /** Whether the pool's child {@code pid} has had no call for longer than {@code millis}. */
    private static boolean idleLongerThan(PoolHarness h, long pid, long millis) {
        var child = h.child(pid);
        return child != null && child.idleMillis() > millis;
    }

    /** The hash of the bundle set a snapshot file names (the harness writes the hash into the file). */
    private static String setIn(Path snapshotFile) throws Exception {
        return Files.readString(snapshotFile).trim();
    }

    private static String set(String name) {
        return name.repeat(64 / name.length());
    }

    // --- standby children ------------------------------------------------------------------------------------

    @Test
    void aBundleSetChangeStartsTheStandbyChildAndACallTakesItWhileAnotherReplacesIt() throws Exception {
        PoolHarness h = harness(standby(1));

        h.changeBundleSet("b");

        assertEquals(1, h.pool.children().size(), "one standby child, started for the new set");
        ScriptedChild standby = h.children.awaitStarted(1);
        assertEquals(set("b"), setIn(standby.command().snapshotFile()));
        assertEquals(standby.pid(), pidOf(answer(h.call("echo:one"))), "the call takes the standby child");
        assertEquals(2, h.pool.children().size(), "one new standby child replaces it, and no other starts");
        ScriptedChild replacement = newcomer(h, 2, standby.pid());
        assertFalse(replacement.receivedKinds().contains(Frame.CALL));
        assertEquals(standby.pid(), pidOf(answer(h.call("echo:two"))), "a used child with room is preferred");
        assertEquals(2, h.pool.children().size());
    }

    @Test
    void theFirstCallStartsItsOwnChildAndLeavesOneStandbyChildBehind() throws Exception {
        PoolHarness h = harness(standby(1));

        long used = pidOf(answer(h.call("echo:first")));

        assertEquals(2, h.pool.children().size(), "the call's child and one standby child");
        ScriptedChild standby = newcomer(h, 2, used);
        assertEquals(used, pidOf(answer(h.call("echo:second"))), "the standby child is kept for later");
        assertEquals(standby.pid(), pidOf(answer(h.call("echo:fresh", FRESH))), "a fresh call takes it");
    }

    @Test
    void aFreshCallMayTakeTheStandbyChildWhichServesOnlyThatCallAndExitsCleanly() throws Exception {
        PoolHarness h = harness(standby(1));
        h.changeBundleSet("a"); // the executor brings the pool to its bundle set as it starts
        ScriptedChild standby = h.children.awaitStarted(1);

        String fresh = answer(h.call("echo:fresh", FRESH));

        assertEquals(standby.pid(), pidOf(fresh));
        assertEquals(0, exitStatus(standby), "its channel closed once its one call was answered");
        assertEquals(List.of(Frame.CALL), standby.receivedKinds());
        ScriptedChild replacement = newcomer(h, 2, standby.pid());
        assertEquals(replacement.pid(), pidOf(answer(h.call("echo:next"))), "the replacement standby child");
    }

    // --- bundle-set change -----------------------------------------------------------------------------------

    @Test
    void aStandbyChildMovesInPlaceToTheNewBundleSetAndTheCallWaitingForItRunsThere() throws Exception {
        PoolHarness h = harness(standby(0));
        long used = pidOf(answer(h.call("echo:old")));
        h.children.bootOnlyAt("boot"); // the set changes while the standby child boots: the call waits for its move
        h.pool.standby(1);
        h.changeBundleSet("a"); // the standby count is made up at the next bundle-set change
        ScriptedChild standby = newcomer(h, 2, used);

        h.changeBundleSet("b");
        Promise<Object> next = h.call("echo:new");
        h.children.open("boot");

        assertEquals(standby.pid(), pidOf(answer(next)), "the same child, not restarted, serves the new set");
        assertEquals(List.of(Frame.UPDATE, Frame.CALL), standby.receivedKinds(), "moved before its call");
        assertEquals(set("b"), setIn(Path.of(standby.received().get(0).payload().utf8())));
        assertEquals(0, exitStatus(started(h, used)), "the idle used child of the old set exits");
        ScriptedChild replacement = newcomer(h, 3, used, standby.pid());
        assertEquals(set("b"), setIn(replacement.command().snapshotFile()), "the new standby child runs the new set");
    }

    @Test
    void aUsedChildOfTheOldBundleSetFinishesItsCallThenExitsWhileNewCallsGoToTheNewSet() throws Exception {
        PoolHarness h = harness(standby(0));
        Promise<Object> held = h.call("hold:old");
        ScriptedChild old = h.children.awaitStarted(1);

        h.changeBundleSet("b");
        String next = answer(h.call("echo:new"));

        ScriptedChild fresh = started(h, pidOf(next));
        assertNotEquals(old.pid(), fresh.pid());
        assertEquals(set("b"), setIn(fresh.command().snapshotFile()));
        assertFalse(old.onExit().isDone(), "its call is still in flight");
        h.children.open("old");
        assertEquals("old@" + old.pid(), answer(held), "it finished its call");
        assertEquals(0, exitStatus(old));
        assertEquals(List.of(Frame.CALL), old.receivedKinds(), "never moved, nor given another call");
        assertEquals(fresh.pid(), pidOf(answer(h.call("echo:again"))));
    }

    @Test
    void aStandbyChildThatCannotMoveIsRetiredAndTheCallWaitingForItGoesToAnotherChild() throws Exception {
        PoolHarness h = harness(standby(1));
        h.children.bootOnlyAt("boot"); // the move is asked before the child can answer it
        h.children.failMoves("the new bundles do not resolve");
        h.changeBundleSet("a");
        ScriptedChild standby = h.children.awaitStarted(1);

        h.changeBundleSet("b");
        Promise<Object> waiting = h.call("echo:waits");
        assertEquals(1, h.pool.children().size(), "the call waits for the moving standby child, starting none");
        h.children.open("boot");

        long served = pidOf(answer(waiting));
        assertNotEquals(standby.pid(), served);
        assertEquals(set("b"), setIn(started(h, served).command().snapshotFile()));
        assertEquals(0, exitStatus(standby), "retired: its channel closed");
        assertEquals(List.of(Frame.UPDATE), standby.receivedKinds(), "it was given no call");
    }

    @Test
    void aStandbyChildKilledWhileItMovesSendsTheCallWaitingForItToAnotherChild() throws Exception {
        PoolHarness h = harness(standby(1));
        h.children.bootOnlyAt("boot"); // it cannot answer its move before it is killed
        h.changeBundleSet("a");
        ScriptedChild standby = h.children.awaitStarted(1);
        h.changeBundleSet("b");
        Promise<Object> waiting = h.call("echo:waits");
        PoolHarness.until(() -> h.child(standby.pid()) != null); // its start is known to the pool

        assertTrue(h.pool.kill(standby.pid()));

        assertEquals(137, exitStatus(standby));
        h.children.open("boot");
        long served = pidOf(answer(waiting));
        assertNotEquals(standby.pid(), served);
        assertEquals(set("b"), setIn(started(h, served).command().snapshotFile()));
    }

    // --- retirement ------------------------------------------------------------------------------------------

    @Test
    void aChildThatStartedMaxCallsPerChildFinishesThemThenExitsAndTheNextCallGetsANewChild() throws Exception {
        PoolHarness h = harness(settings(0, 0, 2, 4));
        long first = pidOf(answer(h.call("echo:1")));
        Promise<Object> second = h.call("hold:second");

        String third = answer(h.call("echo:3"));

        assertNotEquals(first, pidOf(third), "the child had its two calls");
        ScriptedChild wornOut = started(h, first);
        assertFalse(wornOut.onExit().isDone(), "its second call is still in flight");
        h.children.open("second");
        assertEquals("second@" + first, answer(second));
        assertEquals(0, exitStatus(wornOut));
        assertEquals(List.of(Frame.CALL, Frame.CALL), wornOut.receivedKinds());
    }

    @Test
    void thePeriodicSweepRetiresAChildThatServedMaxCallsPerChild() throws Exception {
        PoolHarness h = harness(settings(0, 0, 2, 4));
        long pid = pidOf(answer(h.call("echo:1")));
        assertEquals(pid, pidOf(answer(h.call("echo:2"))));

        h.pool.retireIdleAndWornOut();

        assertEquals(0, exitStatus(started(h, pid)));
        assertNotEquals(pid, pidOf(answer(h.call("echo:3"))));
    }

    @Test
    void aUsedChildIdleLongerThanTheLimitIsRetiredButAStandbyChildIsNot() throws Exception {
        long limit = 20;
        PoolHarness h = harness(settings(1, limit, 0, 4));
        long used = pidOf(answer(h.call("echo:once")));
        ScriptedChild standby = newcomer(h, 2, used);
        PoolHarness.until(() -> idleLongerThan(h, used, limit) && idleLongerThan(h, standby.pid(), limit));

        h.pool.retireIdleAndWornOut();

        assertEquals(0, exitStatus(started(h, used)));
        assertEquals(standby.pid(), pidOf(answer(h.call("echo:next"))), "the standby child was kept");
    }

    // --- configurations, kill, close ---------------------------------------------------------------------------

    @Test
    void aConfigurationChangeReachesEveryLiveChildAndNoDeadOne() throws Exception {
        PoolHarness h = harness(standby(1));
        Throwable died = failure(h.call("exit:3"));
        long dead = ((ChildFailedException) died).pid();
        Promise<Object> held = h.call("hold:retiring"); // takes the standby child
        h.changeBundleSet("b"); // the busy child retires, the new standby child moves
        answer(h.call("echo:moved"));
        h.children.awaitStarted(4); // the dead, the retiring, the moved and a new standby child
        List<ScriptedChild> live = h.children.started().stream().filter(c -> c.pid() != dead).toList();

        h.pool.configurationsChanged();

        for (ScriptedChild c : live) {
            PoolHarness.until(() -> c.receivedKinds().contains(Frame.CONFIGURE));
        }
        assertFalse(started(h, dead).receivedKinds().contains(Frame.CONFIGURE));
        h.children.open("retiring");
        assertTrue(answer(held).startsWith("retiring@"));
    }

    @Test
    void closeEndsIdleChildrenCleanlyKillsBusyOnesFailingTheirCallsAndLeavesNoneAlive() throws Exception {
        PoolHarness h = harness(settings(1, 0, 0, 1));
        Promise<Object> busy = h.call("hold:never");
        answer(h.call("echo:idle")); // one call at a time per child: it went to another child
        h.children.awaitStarted(3); // the busy, the idle and a standby child

        h.pool.close();

        Throwable failed = failure(busy);
        assertInstanceOf(ChildFailedException.class, failed);
        long killed = ((ChildFailedException) failed).pid();
        for (ScriptedChild c : h.children.started()) {
            assertFalse(c.isAlive(), "child " + c.pid() + " still runs");
            assertEquals(c.pid() == killed ? 137 : 0, exitStatus(c), "child " + c.pid());
        }
        assertEquals(3, h.children.started().size());
    }

    @Test
    void closeFailsTheCallsWaitingForRoomSayingTheExecutorStops() throws Exception {
        PoolHarness h = harness(settings(0, 0, 0, 1, 1)); // one child, one call at a time
        Promise<Object> busy = h.call("hold:never");
        Promise<Object> waiting = h.call("echo:waits");
        h.children.awaitStarted(1);

        h.pool.close();

        assertInstanceOf(ChildFailedException.class, failure(busy));
        Throwable refused = failure(waiting);
        assertInstanceOf(ChildFailedException.class, refused);
        assertTrue(refused.getMessage().contains("stopping"), refused.getMessage());
        assertEquals(1, h.children.started().size(), "no child started for it");
    }

    @Test
    void killingAChildFailsItsCallAndTheNextCallGetsANewChild() throws Exception {
        PoolHarness h = harness(standby(0));
        Promise<Object> running = h.call("hold:never");
        long pid = h.children.awaitStarted(1).pid();
        PoolHarness.until(() -> h.child(pid) != null); // its JVM's start is known to the pool

        assertTrue(h.pool.kill(pid));

        Throwable killed = failure(running);
        assertInstanceOf(ChildFailedException.class, killed);
        assertEquals(pid, ((ChildFailedException) killed).pid());
        assertEquals(137, exitStatus(started(h, pid)));
        assertNotEquals(pid, pidOf(answer(h.call("echo:next"))));
    }
}
