package dev.trampoline.runtime.remote.internal.pool;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.trampoline.runtime.remote.internal.process.ChildProcess;

/** The limit on a child's boot ({@code trampoline.pool.startTimeoutMillis}): a child not ready by then is killed. */
final class StartTimeout {

    private StartTimeout() {
    }

    /** Kills {@code child} if it is not ready within {@code millis} (0: no limit): its calls fail saying why. */
    static void limit(ChildProcess child, long millis) {
        if (millis > 0) {
            CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS).execute(() -> {
                if (child.state() == ChildProcess.State.STARTING) {
                    child.kill("it was not ready " + millis + " ms after its start (trampoline.pool."
                            + "startTimeoutMillis): a bundle's activator may not return there; see the"
                            + " child's stack on stderr, or raise the limit");
                }
            });
        }
    }
}
