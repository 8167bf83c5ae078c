package dev.trampoline.runtime.remote.internal.pool;

import static dev.trampoline.runtime.remote.internal.pool.PoolHarness.answer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.trampoline.runtime.remote.CallOptions;
import dev.trampoline.runtime.remote.internal.process.ScriptedChild;

/** The spare JVM's policy (see {@code SpareKeeper}), over scripted children and spares. */
class SpareTest extends ScriptedPoolTest {

    private static final CallOptions FRESH = CallOptions.DEFAULT.withFresh(true);

    private PoolHarness withSpares(PoolSettings settings) {
        PoolHarness h = harness(settings);
        h.pool.spares(true);
        return h;
    }

    /** Waits until the pool keeps a spare; returns it. */
    private static ScriptedChild awaitSpare(PoolHarness h) throws InterruptedException {
        PoolHarness.until(() -> h.pool.sparePid() > 0);
        long pid = h.pool.sparePid();
        return h.children.started().stream().filter(c -> c.pid() == pid).findFirst().orElseThrow();
    }

    @Test
    void aSpareStartsOnceAChildIsReadyAndTheNextNewChildIsMadeOfIt() throws Exception {
        PoolHarness h = withSpares(PoolHarness.SETTINGS);
        long first = pidOf(answer(h.call("echo:first", FRESH)));

        ScriptedChild spare = awaitSpare(h);
        String second = answer(h.call("echo:second", FRESH));

        assertNotEquals(first, spare.pid());
        assertEquals(spare.pid(), pidOf(second), "the fresh child was made of the spare: no new start");
        assertTrue(spare.handedArguments().stream().anyMatch(a -> a.contains("snapshot-")),
                "the spare was handed the child's arguments, its snapshot among them: " + spare.handedArguments());
    }

    @Test
    void aSpareGivesWaySoThatNoMoreChildrenRunThanMaxChildren() throws Exception {
        PoolHarness h = withSpares(new PoolSettings(0, 0, 0, 2, 4, 10, 10_000, 0, 0));
        answer(h.call("echo:first", FRESH)); // its child exits: the spare has room
        ScriptedChild spare = awaitSpare(h);

        // Children with environments of their own cannot be made of the spare. One child and the spare are two
        // JVMs, within the limit; for the second child the spare goes.
        long a = pidOf(answer(h.call("echo:a", CallOptions.DEFAULT.withEnvironment(Map.of("LANE", "a")))));
        assertTrue(spare.isAlive(), "one child and the spare are within maxChildren");
        long b = pidOf(answer(h.call("echo:b", CallOptions.DEFAULT.withEnvironment(Map.of("LANE", "b")))));

        assertEquals(0, spare.onExit().join().exitValue(), "the spare was asked to leave");
        assertNotEquals(a, b);
        assertEquals(-1, h.pool.sparePid());
    }

    @Test
    void anIdleSpareLeavesWithTheIdleLimit() throws Exception {
        PoolHarness h = withSpares(new PoolSettings(0, 1, 0, 4, 4, 10, 10_000, 0, 0));
        answer(h.call("echo:first", FRESH));
        ScriptedChild spare = awaitSpare(h);

        PoolHarness.until(() -> {
            h.pool.retireIdleAndWornOut(); // the executor's periodic sweep
            return !spare.isAlive();
        });

        assertEquals(0, spare.onExit().join().exitValue());
        assertEquals(-1, h.pool.sparePid());
    }

    @Test
    void aSpareThatDiedIsNotUsedAndTheChildStartsWithoutIt() throws Exception {
        PoolHarness h = withSpares(PoolHarness.SETTINGS);
        answer(h.call("echo:first", FRESH));
        ScriptedChild spare = awaitSpare(h);
        spare.destroyForcibly();
        spare.onExit().join();

        long next = pidOf(answer(h.call("echo:next", FRESH)));

        assertNotEquals(spare.pid(), next);
    }
}
