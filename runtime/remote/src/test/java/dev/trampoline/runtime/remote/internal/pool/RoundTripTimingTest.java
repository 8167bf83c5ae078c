package dev.trampoline.runtime.remote.internal.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.trampoline.runtime.remote.internal.process.RoundTrips;

/**
 * A host's children time their warm calls, from the frame written to the answer read, into the host's
 * {@link RoundTrips}; a child's first call (its boot and first lookup) is not counted.
 */
class RoundTripTimingTest extends ScriptedPoolTest {

    /** Waits until {@code trips} holds {@code calls} round trips: each is added right after its caller is told. */
    private static RoundTrips.Median awaitCalls(RoundTrips trips, int calls) throws InterruptedException {
        PoolHarness.until(() -> {
            RoundTrips.Median m = trips.median();
            return m != null && m.calls() >= calls;
        });
        return trips.median();
    }

    @Test
    void aChildsCallsAfterItsFirstAreTimedIntoItsHostsRoundTrips() throws Exception {
        RoundTrips trips = new RoundTrips();
        PoolHarness h = harness(PoolHarness.SETTINGS, trips);
        assertNull(trips.median(), "no call yet");

        long pid = pidOf(PoolHarness.answer(h.call("echo:first")));
        for (int i = 0; i < 3; i++) {
            assertEquals(pid, pidOf(PoolHarness.answer(h.call("echo:" + i))), "one child serves the calls in turn");
        }
        RoundTrips.Median m = awaitCalls(trips, 3);
        assertEquals(3, m.calls(), "the three warm calls, not the first");
        assertTrue(m.nanos() > 0, m.toString());
    }
}
