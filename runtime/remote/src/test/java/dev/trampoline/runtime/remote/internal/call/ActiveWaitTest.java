package dev.trampoline.runtime.remote.internal.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class ActiveWaitTest {

    @Test
    void propertyIsMicrosecondsAndABadValueIsNamed() {
        int cpus = Runtime.getRuntime().availableProcessors();
        assertEquals(cpus > 1 ? 50_000 : 0, ActiveWait.fromProperty(null).spinNanos(), "the default");
        assertEquals(cpus > 1 ? 7_000 : 0, ActiveWait.fromProperty(" 7 ").spinNanos());
        assertEquals(0, ActiveWait.fromProperty("0").spinNanos(), "0 turns it off");
        for (String bad : new String[] {"-1", "fast", "1000001"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ActiveWait.fromProperty(bad));
            assertTrue(e.getMessage().startsWith(ActiveWait.PROPERTY + "=" + bad), e.getMessage());
        }
    }

    @Test
    void stopsCheckingOnceDoneOrWhenTheTimeIsUp() {
        // A second to check in: a loaded machine may deschedule the thread for longer than a millisecond.
        ActiveWait wait = new ActiveWait(1_000_000);
        AtomicInteger checks = new AtomicInteger();
        wait.briefly(() -> checks.incrementAndGet() >= 3);
        if (wait.spinNanos() > 0) {
            assertEquals(3, checks.get(), "stops at the first true");
        }
        new ActiveWait(1_000).briefly(() -> false); // returns: the time is up
    }

    @Test
    void onlyOneThreadChecksAtATime() throws Exception {
        ActiveWait wait = new ActiveWait(1_000_000);
        if (wait.spinNanos() == 0) {
            return; // one CPU: nobody checks
        }
        AtomicBoolean release = new AtomicBoolean();
        CountDownLatch spinning = new CountDownLatch(1);
        AtomicInteger firstChecks = new AtomicInteger();
        Thread first = new Thread(() -> wait.briefly(() -> {
            if (firstChecks.incrementAndGet() == 2) { // the first check comes before it takes its turn
                spinning.countDown();
            }
            return release.get();
        }));
        first.start();
        assertTrue(spinning.await(10, TimeUnit.SECONDS));
        AtomicInteger checks = new AtomicInteger();
        wait.briefly(() -> checks.incrementAndGet() > 1_000_000); // would check for a second if it could
        assertEquals(1, checks.get(), "a second caller looks once and goes to sleep");
        release.set(true);
        first.join(10_000);
    }
}
