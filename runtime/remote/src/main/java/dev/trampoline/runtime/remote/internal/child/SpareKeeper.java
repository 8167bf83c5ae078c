package dev.trampoline.runtime.remote.internal.child;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.osgi.service.log.Logger;

/**
 * Keeps one {@link SpareJvm} with the default child JVM options, once a child of them was needed: each new
 * child with those options is made of the spare, and the next spare starts once the pool is quiet: no child
 * booting, none started for a quarter second (not at once: it would compete with that boot and its first
 * call for the same cores). It retires with
 * the pool's idle timeout, and when the default options change (the class-data archive appeared).
 */
final class SpareKeeper {

    /** How long the pool must have started no child, and none must be booting, before a spare starts. */
    private static final long REPLENISH_DELAY_MILLIS = 250;
    private static final long EXIT_WAIT_MILLIS = 5_000;

    private final ChildPool.Launch launch;
    private final Logger log;
    private volatile boolean enabled;
    private SpareJvm spare;
    private boolean closed;
    private long lastUseNanos = System.nanoTime();

    SpareKeeper(ChildPool.Launch launch, Logger log) {
        this.launch = launch;
        this.log = log;
    }

    void enabled(boolean on) {
        enabled = on;
        if (!on) {
            retire();
        }
    }

    /** The spare, if a child with these options can be made of it (it is then no longer kept), else null. */
    synchronized SpareJvm take(List<String> jvmOptions, Map<String, String> environment) {
        lastUseNanos = System.nanoTime();
        SpareJvm s = spare;
        if (s == null || !s.isAlive() || !s.fits(jvmOptions, environment)) {
            return null;
        }
        spare = null;
        return s;
    }

    /**
     * After a child with the default options is ready: a spare for the next one, if there is none that fits and
     * {@code room} says the pool has room for another JVM.
     */
    void replenishSoon(Path warmSnapshot, BooleanSupplier room, BooleanSupplier booting) {
        if (enabled) {
            CompletableFuture.delayedExecutor(REPLENISH_DELAY_MILLIS, TimeUnit.MILLISECONDS)
                    .execute(() -> replenish(warmSnapshot, room, booting));
        }
    }

    private synchronized void replenish(Path warmSnapshot, BooleanSupplier room, BooleanSupplier booting) {
        if (!enabled || closed) {
            return;
        }
        if (booting.getAsBoolean() || System.nanoTime() - lastUseNanos < REPLENISH_DELAY_MILLIS * 1_000_000) {
            // Not while a child boots, nor amid calls that start children one after another: the spare's start
            // would slow them down, and the next would take it before it is warm.
            replenishSoon(warmSnapshot, room, booting);
            return;
        }
        List<String> options = launch.jvm().forChild(List.of(), null);
        if (spare != null && spare.isAlive() && spare.fits(options, Map.of())) {
            return;
        }
        if (spare != null) {
            spare.stop(); // made for options no child gets any more, or gone
            spare = null;
        }
        if (!room.getAsBoolean()) {
            return;
        }
        try {
            spare = SpareJvm.start(launch, options, warmSnapshot, ChildFolders.create());
            log.debug("Started spare JVM {} for the next new child", spare.pid());
        } catch (IOException e) {
            log.debug("No spare JVM: {}", e.getMessage());
        }
    }

    /** Lets the spare go if no child was started for {@code idleMillis} (0: never). */
    synchronized void retireIfIdle(long idleMillis) {
        if (spare != null && idleMillis > 0 && System.nanoTime() - lastUseNanos >= idleMillis * 1_000_000) {
            log.debug("Retiring spare JVM {}: idle", spare.pid());
            retire();
        }
    }

    synchronized long pid() {
        return spare != null && spare.isAlive() ? spare.pid() : -1;
    }

    /** Lets the spare go for good, waiting a bounded time for it to exit. */
    void close() {
        synchronized (this) {
            closed = true;
        }
        retire();
    }

    private void retire() {
        SpareJvm s;
        synchronized (this) {
            s = spare;
            spare = null;
        }
        if (s != null) {
            s.stop();
            s.awaitExit(EXIT_WAIT_MILLIS);
        }
    }
}
