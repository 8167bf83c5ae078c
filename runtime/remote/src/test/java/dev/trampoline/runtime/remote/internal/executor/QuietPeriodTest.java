package dev.trampoline.runtime.remote.internal.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** Driven by a hand-turned clock: each test says exactly when the action runs. */
class QuietPeriodTest {

    private static final long MS = 1_000_000;

    private long now;
    private final List<long[]> dueTimes = new ArrayList<>();
    private final List<Runnable> checks = new ArrayList<>();
    private final AtomicInteger runs = new AtomicInteger();
    private final List<Boolean> settled = new ArrayList<>();
    private final AtomicBoolean inFlux = new AtomicBoolean();

    private QuietPeriod quiet(long quietMs, long maxMs) {
        return new QuietPeriod((check, delay) -> {
            dueTimes.add(new long[] {now + delay});
            checks.add(check);
        }, () -> now, quietMs * MS, maxMs * MS, inFlux::get, s -> {
            runs.incrementAndGet();
            settled.add(s);
        });
    }

    /** Moves the clock to {@code ms}, running every check that falls due on the way, in order. */
    private void advanceTo(long ms) {
        while (true) {
            int next = -1;
            for (int i = 0; i < checks.size(); i++) {
                if (dueTimes.get(i)[0] <= ms * MS && (next < 0 || dueTimes.get(i)[0] < dueTimes.get(next)[0])) {
                    next = i;
                }
            }
            if (next < 0) {
                now = ms * MS;
                return;
            }
            now = dueTimes.remove(next)[0];
            checks.remove(next).run();
        }
    }

    @Test
    void aSingleSignalRunsTheActionOnceAfterTheQuietTime() {
        QuietPeriod q = quiet(100, 3000);
        q.signal();
        advanceTo(99);
        assertEquals(0, runs.get());
        advanceTo(100);
        assertEquals(1, runs.get());
        assertEquals(List.of(true), settled);
        advanceTo(10_000);
        assertEquals(1, runs.get(), "nothing more without another signal");
    }

    @Test
    void signalsCloserThanTheQuietTimeAreOneBurstActedOnOnce() {
        QuietPeriod q = quiet(100, 3000);
        for (int t = 0; t <= 600; t += 80) { // a bundle starting every 80 ms
            advanceTo(t);
            q.signal();
        }
        advanceTo(639);
        assertEquals(0, runs.get(), "not before 100 ms after the last signal (at 560 ms)");
        advanceTo(660);
        assertEquals(1, runs.get());
    }

    @Test
    void aStreamThatNeverStopsIsActedOnAtTheLatestAfterTheMaximum() {
        QuietPeriod q = quiet(100, 1000);
        for (int t = 0; t <= 2500; t += 50) {
            advanceTo(t);
            q.signal();
        }
        assertEquals(2, runs.get(), "at 1000 ms and at 2000 ms (the next burst began at 1000 ms)");
        assertEquals(List.of(false, false), settled);
    }

    @Test
    void aChangeStillInFluxAtTheEndOfTheQuietTimeDefersTheAction() {
        QuietPeriod q = quiet(100, 1000);
        inFlux.set(true); // a bundle's activator is still running: no event for a while
        q.signal();
        advanceTo(350);
        assertEquals(0, runs.get());
        inFlux.set(false);
        advanceTo(400);
        assertEquals(1, runs.get(), "at the first check after the change settled");
        assertEquals(List.of(true), settled);
    }

    @Test
    void aChangeInFluxForeverIsActedOnAtTheMaximum() {
        QuietPeriod q = quiet(100, 1000);
        inFlux.set(true);
        q.signal();
        advanceTo(999);
        assertEquals(0, runs.get());
        advanceTo(1000);
        assertEquals(1, runs.get());
        assertEquals(List.of(false), settled, "run because it went on too long");
    }

    @Test
    void aSignalWhileTheActionRunsStartsTheNextBurst() {
        AtomicInteger calls = new AtomicInteger();
        QuietPeriod[] q = new QuietPeriod[1];
        q[0] = new QuietPeriod((check, delay) -> {
            dueTimes.add(new long[] {now + delay});
            checks.add(check);
        }, () -> now, 100 * MS, 3000 * MS, () -> false, s -> {
            if (calls.incrementAndGet() == 1) {
                q[0].signal(); // a bundle event while standby children are being moved
            }
        });
        q[0].signal();
        advanceTo(100);
        assertEquals(1, calls.get());
        advanceTo(200);
        assertEquals(2, calls.get(), "the change made during the action is acted on too");
    }

    @Test
    void aMaximumShorterThanTheQuietTimeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> quiet(100, 50));
        assertThrows(IllegalArgumentException.class, () -> quiet(0, 50));
    }
}
