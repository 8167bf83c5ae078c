package dev.trampoline.runtime.remote.internal.child;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * That a child process has exited, once: runs one hook (registered before or after the exit) and lets others
 * wait until the hook has run.
 */
final class ExitSignal {

    private final CountDownLatch handled = new CountDownLatch(1);
    private Consumer<Boolean> hook = clean -> { };
    private boolean fired;
    private volatile boolean clean;

    /** Runs {@code h} when the exit is signalled, or now if it was; its argument: exited with status 0. */
    void onExit(Consumer<Boolean> h) {
        synchronized (this) {
            if (!fired) {
                hook = h;
                return;
            }
        }
        h.accept(clean);
    }

    /** Signals the exit: runs the hook, then releases {@link #await}. */
    void fire(boolean exitedCleanly) {
        Consumer<Boolean> h;
        synchronized (this) {
            clean = exitedCleanly;
            fired = true;
            h = hook;
        }
        try {
            h.accept(exitedCleanly);
        } finally {
            handled.countDown();
        }
    }

    boolean await(long millis) throws InterruptedException {
        return handled.await(millis, TimeUnit.MILLISECONDS);
    }
}
