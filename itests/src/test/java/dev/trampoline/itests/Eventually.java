package dev.trampoline.itests;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.junit.jupiter.api.Assertions;

/** Waits for something the runtime does asynchronously (a scan, a refresh), failing with a description. */
final class Eventually {

    /** A bound against a hang, not a speed requirement: generous, so a busy machine never fails a test. */
    static final Duration DEFAULT = Duration.ofSeconds(60);

    private Eventually() {
    }

    static void until(String what, BooleanSupplier condition) {
        until(what, condition, () -> "");
    }

    static void until(String what, BooleanSupplier condition, Supplier<String> diagnostics) {
        until(what, DEFAULT, condition, diagnostics);
    }

    /** {@link #until} for something that takes long of itself (a child writing 100 MiB, say). */
    static void until(String what, Duration limit, BooleanSupplier condition, Supplier<String> diagnostics) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                Assertions.fail("Timed out after " + limit.toSeconds() + " s waiting until " + what + "\n"
                        + diagnostics.get());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                Assertions.fail("interrupted waiting until " + what);
            }
        }
    }
}
