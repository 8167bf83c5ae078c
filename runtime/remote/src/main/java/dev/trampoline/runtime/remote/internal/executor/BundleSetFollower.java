package dev.trampoline.runtime.remote.internal.executor;

import java.io.IOException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.osgi.service.log.Logger;

import dev.trampoline.runtime.remote.internal.pool.Dispatcher;
import dev.trampoline.runtime.remote.internal.snapshot.BundleSetTracker;
import dev.trampoline.runtime.remote.internal.snapshot.BundleSnapshot;
import dev.trampoline.runtime.remote.internal.snapshot.SnapshotException;

/**
 * Brings the pool to the bundle set once its changes settle (a batch of deployments, a start-level change: one
 * move, not one per step): standby children move to the new set and used ones retire, before the next call asks.
 */
final class BundleSetFollower {

    /** Bundle events closer than this are one change of the bundle set. */
    private static final long SETTLE_QUIET_MILLIS = 100;
    /** A change that goes on longer (events keep coming) is followed at least this often. */
    private static final long SETTLE_MAX_MILLIS = 3_000;

    private final BundleSetTracker bundleSet;
    /** Told the new bundle set's hash and snapshot file (the dispatchers). */
    private final java.util.function.Consumer<Dispatcher.Target> dispatcher;
    private final BooleanSupplier wanted;
    private final Logger log;
    private final QuietPeriod settled;
    /** Removed on {@link #close}: bundles stopping as the framework shuts down must not reach a closed pool. */
    private final Runnable listener = this::changed;
    /** Set on close: a task already running then ends without a warning. */
    private volatile boolean closed;

    /**
     * Follows {@code bundleSet} for the pools {@code dispatcher} tells (as {@link Dispatcher#bundleSetChanged})
     * on {@code scheduler}, while {@code wanted} says the pools need to know the bundle set.
     */
    BundleSetFollower(BundleSetTracker bundleSet, java.util.function.Consumer<Dispatcher.Target> dispatcher,
            ScheduledExecutorService scheduler, BooleanSupplier wanted, Logger log) {
        this.bundleSet = bundleSet;
        this.dispatcher = dispatcher;
        this.wanted = wanted;
        this.log = log;
        this.settled = new QuietPeriod((check, delay) -> {
            try {
                scheduler.schedule(check, delay, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException stopping) {
                // deactivated: nothing to follow
            }
        }, System::nanoTime, TimeUnit.MILLISECONDS.toNanos(SETTLE_QUIET_MILLIS),
                TimeUnit.MILLISECONDS.toNanos(SETTLE_MAX_MILLIS), bundleSet::inTransition, this::follow);
        bundleSet.onChange(listener);
    }

    /** The bundle set (or what the pool keeps for it) changed: the pool follows once the changes settle. */
    void changed() {
        if (wanted.getAsBoolean()) {
            settled.signal();
        }
    }

    /** Brings the pool to the bundle set now. */
    void followNow() throws SnapshotException, IOException {
        dispatcher.accept(target(bundleSet));
    }

    /** The bundle set now, stamped with the tracker's generation read before its snapshot was taken. */
    static Dispatcher.Target target(BundleSetTracker bundleSet) throws SnapshotException, IOException {
        long generation = bundleSet.generation();
        BundleSnapshot snapshot = bundleSet.snapshot();
        return new Dispatcher.Target(snapshot.hash(), bundleSet.fileFor(snapshot), generation);
    }

    private void follow(boolean quiet) {
        try {
            Dispatcher.Target target = target(bundleSet);
            if (!quiet) {
                log.info("The bundle set is still changing after {} ms; children follow it as it is now ({})",
                        SETTLE_MAX_MILLIS, target.hash().substring(0, 12));
            }
            dispatcher.accept(target);
        } catch (SnapshotException | IOException | RuntimeException e) {
            if (closed) {
                // The framework is stopping: its bundles stopping changed the set, and this bundle's context is
                // gone ("Invalid BundleContext"). Nothing to follow, and nothing a user need read at every stop.
                log.debug("Bundle set not followed while stopping: {}", e.getMessage());
                return;
            }
            log.warn("Could not bring standby children to the new bundle set: {}", e.getMessage());
        }
    }

    /** Stops following; a task running now ends quietly. */
    void close() {
        closed = true;
        bundleSet.removeOnChange(listener);
    }
}
