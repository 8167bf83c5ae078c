package dev.trampoline.runtime.remote.internal.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The window of a host's warm round trips, and a child's timer that feeds it. */
class RoundTripsTest {

    @Test
    void theMedianIsOfTheLastWindowOfRoundTrips() {
        RoundTrips trips = new RoundTrips();
        assertNull(trips.median());
        trips.add(30);
        trips.add(10);
        trips.add(20);
        assertEquals(new RoundTrips.Median(20, 3), trips.median());
        trips.add(40);
        assertEquals(new RoundTrips.Median(25, 4), trips.median(), "of an even count: the mean of the middle two");

        for (int i = 0; i < RoundTrips.WINDOW; i++) {
            trips.add(1_000 + i); // the four above are forgotten
        }
        assertEquals(64, RoundTrips.WINDOW);
        assertEquals(new RoundTrips.Median((1_031 + 1_032) / 2, 64), trips.median(), "of 1000..1063 only");
    }

    @Test
    void aChildsFirstAnswerMakesItWarmAndOnlyItsWarmAnsweredCallsCount() {
        RoundTrips trips = new RoundTrips();
        CallTimer timer = trips.forChild();
        timer.written(1, 100);
        timer.answered(1, 5_000); // its first call: the child's first lookup, not a round trip
        assertNull(trips.median());

        timer.written(2, 6_000);
        timer.written(3, 6_100);
        timer.forgotten(3); // cancelled: its answer says nothing of the round trip
        timer.answered(3, 9_000);
        timer.answered(2, 6_700);
        assertEquals(new RoundTrips.Median(700, 1), trips.median());
    }
}
