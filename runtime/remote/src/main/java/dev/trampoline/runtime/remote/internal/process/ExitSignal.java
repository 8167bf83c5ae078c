package dev.trampoline.runtime.remote.internal.process;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * That a child process has exited, once: runs every hook, in the order they were registered (before or after
 * the exit), and lets others wait until the hooks registered before it have run.
 */
final class ExitSignal {

    private final CountDownLatch handled = new CountDownLatch(1);
    private final List<Consumer<Boolean>> hooks = new ArrayList<>();
    private boolean fired;
    private volatile boolean clean;

    /** Runs {@code h} when the exit is signalled, or now if it was; its argument: exited with status 0. */
    void onExit(Consumer<Boolean> h) {
        synchronized (this) {
            if (!fired) {
                hooks.add(h);
                return;
            }
        }
        h.accept(clean);
    }

    /** Signals the exit: runs the hooks, then releases {@link #await}. */
    void fire(boolean exitedCleanly) {
        List<Consumer<Boolean>> toRun;
        synchronized (this) {
            clean = exitedCleanly;
            fired = true;
            toRun = List.copyOf(hooks);
        }
        try {
            for (Consumer<Boolean> h : toRun) {
                h.accept(exitedCleanly);
            }
        } finally {
            handled.countDown();
        }
    }

    boolean await(long millis) throws InterruptedException {
        return handled.await(millis, TimeUnit.MILLISECONDS);
    }
}
