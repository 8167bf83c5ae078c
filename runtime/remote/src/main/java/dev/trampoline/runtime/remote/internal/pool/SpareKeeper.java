package dev.trampoline.runtime.remote.internal.pool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.osgi.service.log.Logger;

import dev.trampoline.runtime.remote.internal.process.ChildCommand;
import dev.trampoline.runtime.remote.internal.process.ChildFolders;
import dev.trampoline.runtime.remote.internal.process.ChildLaunch;
import dev.trampoline.runtime.remote.internal.process.SpareJvm;

/**
 * Keeps one {@link SpareJvm} with the default child JVM options, once a child of them was needed: each new
 * child with those options is made of the spare, and the next spare starts once the pool is quiet: no child
 * booting, none started for a quarter second (not at once: it would compete with that boot and its first
 * call for the same cores), unless children are wanted in a run (fresh calls back to back): then as soon as a
 * child is wanted. It retires with the pool's idle timeout, and when the default options change (the class-data
 * archive appeared); when the bundle set changes it is replaced by one prepared for the new set. A runtime that
 * stopped with a spare starts one again once its bundle set first settles (see {@link #resumeWith}).
 */
final class SpareKeeper {

    /** How long the pool must have started no child, and none must be booting, before a spare starts. */
    private static final long REPLENISH_DELAY_MILLIS = 250;
    /** A spare that waited this long before it was taken says the run of children is over. */
    private static final long RUN_END_MILLIS = 2_000;
    private static final long EXIT_WAIT_MILLIS = 5_000;
    /** The longest a child waits for a spare whose JVM is being spawned (normally a few milliseconds). */
    private static final long START_WAIT_MILLIS = 2_000;

    private final ChildLaunch launch;
    private final Logger log;
    private volatile boolean enabled;
    private SpareJvm spare;
    private boolean closed;
    private long lastUseNanos = System.nanoTime();
    /**
     * Whether children are wanted in a run (fresh calls back to back): set when a child with the default options
     * found no spare while one was due (waiting for its quiet moment, or being started); then the next spare
     * starts as soon as a child is wanted, beside that child's boot. Cleared when a spare waited long enough to
     * be taken.
     */
    private boolean inRun;
    /**
     * Set when the spare retired for idleness, cleared when a child is needed: until then nothing starts another
     * (a late replenish, say after the class-data training child exits, would undo the retirement).
     */
    private boolean idleRetired;
    /** Whether the pool has room for one more JVM. */
    private final BooleanSupplier room;
    /** Whether a child of the pool is booting. */
    private final BooleanSupplier booting;
    /** One replenishing at a time, for the latest snapshot asked for: calls coming fast must not pile them up. */
    private boolean replenishPending;
    private Path warmSnapshot;
    /** Set while a spare's JVM starts, outside the lock: one start at a time. */
    private boolean starting;
    /** Set when a spare was due but the pool had no room for another JVM: it is started once a child goes. */
    private boolean dueWhenRoom;
    /** Where the keeper notes that it stopped with a spare, or one due (null: nowhere, nothing resumes). */
    private Path resumeMarker;
    /** Set when the last run stopped with a spare, until the bundle set first settles and one starts. */
    private boolean resuming;

    SpareKeeper(ChildLaunch launch, BooleanSupplier room, BooleanSupplier booting, Logger log) {
        this.launch = launch;
        this.room = room;
        this.booting = booting;
        this.log = log;
    }

    /**
     * Notes in {@code marker} whether the keeper stops with a spare (or one due), and resumes if the last run
     * did: the next spare then starts when the bundle set first settles, before any child is needed, as a run
     * that made children will likely make them again. Why: after a restart the first call would otherwise pay a whole JVM
     * start and bundle-set start. Returns whether it resumes.
     */
    synchronized boolean resumeWith(Path marker) {
        resumeMarker = marker;
        resuming = enabled && Files.exists(marker);
        if (resuming) {
            log.debug("This runtime stopped with a spare JVM last time: one starts once the bundle set settles");
        }
        return resuming;
    }

    void enabled(boolean on) {
        enabled = on;
        if (!on) {
            release(takeOut());
        }
    }

    /**
     * The spare, if a child with these options can be made of it (it is then no longer kept), else null. A
     * spare found dead is let go, its folder with it. {@code forCall}: the child is wanted for a call now (not
     * a standby child), which is what a run of children is made of.
     */
    SpareJvm take(List<String> jvmOptions, Map<String, String> environment, boolean forCall) {
        SpareJvm s;
        boolean nextNow;
        synchronized (this) {
            lastUseNanos = System.nanoTime();
            idleRetired = false;
            boolean defaultOptions = environment.isEmpty() && jvmOptions.equals(launch.jvmOptions(List.of(), null));
            if (defaultOptions) {
                awaitStarted();
            }
            boolean defaultChild = forCall && defaultOptions;
            s = spare;
            boolean fits = s != null && (!s.isAlive() || s.fits(jvmOptions, environment));
            if (fits) {
                spare = null;
                inRun &= s.waitedMillis() < RUN_END_MILLIS;
            } else {
                s = null;
                inRun |= defaultChild && enabled && (replenishPending || starting);
            }
            // A replenish waiting for its quiet moment meanwhile finds this one's spare, or its start, and leaves.
            nextNow = inRun && defaultChild && spare == null && !starting && enabled && !closed
                    && warmSnapshot != null;
            replenishPending |= nextNow;
        }
        if (nextNow) {
            CompletableFuture.runAsync(this::replenish); // the next of the run: not after a quiet time
        }
        if (s == null) {
            return null;
        }
        if (!s.isAlive()) {
            release(s);
            return null;
        }
        return s;
    }

    /**
     * Under the lock: while a spare's JVM is being started (its process spawned, a moment), waits for it, at most
     * {@link #START_WAIT_MILLIS}: a child that could be made of it would otherwise start a second JVM beside it.
     */
    private void awaitStarted() {
        long deadline = System.nanoTime() + START_WAIT_MILLIS * 1_000_000;
        try {
            for (long left = START_WAIT_MILLIS; starting && spare == null && !closed && left > 0;
                    left = (deadline - System.nanoTime()) / 1_000_000) {
                wait(Math.max(1, left));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the child starts its own JVM
        }
    }

    /**
     * After a child with the default options is ready: a spare for the next one, warmed up on
     * {@code warmSnapshot}, if there is none that fits and the pool has room for another JVM; not while a child
     * boots.
     */
    void replenishSoon(Path warmSnapshot) {
        synchronized (this) {
            this.warmSnapshot = warmSnapshot;
            if (!enabled || closed || replenishPending) {
                return;
            }
            replenishPending = true;
        }
        later();
    }

    /**
     * The bundle set changed and settled: a spare kept for an older one is replaced, after the usual quiet
     * time, by one that prepares this one, which saves the set's prepared framework cache as it does, so that
     * the next new child neither installs every bundle nor waits for that. Nothing starts if no spare is kept
     * (none was needed yet, or it retired for idleness).
     */
    void bundleSetChanged(Path snapshotFile) {
        synchronized (this) {
            if (spare == null && !starting && !resuming) {
                return; // the next spare is asked for with the snapshot of its time
            }
            resuming = false;
        }
        replenishSoon(snapshotFile);
    }

    private void later() {
        CompletableFuture.delayedExecutor(REPLENISH_DELAY_MILLIS, TimeUnit.MILLISECONDS).execute(this::replenish);
    }

    private void replenish() {
        SpareJvm stale;
        List<String> options;
        Path snapshot;
        boolean startNow;
        synchronized (this) {
            if (!enabled || closed || idleRetired) {
                replenishPending = false;
                return;
            }
            if (!inRun && (booting.getAsBoolean()
                    || System.nanoTime() - lastUseNanos < REPLENISH_DELAY_MILLIS * 1_000_000)) {
                // Not while a child boots, nor amid calls that start children one after another: the spare's
                // start would slow them down, and the next would take it before it is warm.
                later();
                return;
            }
            replenishPending = false;
            options = launch.jvmOptions(List.of(), null);
            snapshot = warmSnapshot;
            if (starting || (spare != null && spare.isAlive() && spare.fits(options, Map.of())
                    && java.util.Objects.equals(spare.warmSnapshot(), snapshot))) {
                return;
            }
            stale = spare; // made for options no child gets any more or for another bundle set, or gone
            spare = null;
            startNow = room.getAsBoolean();
            starting = startNow;
            dueWhenRoom = !startNow;
        }
        release(stale);
        if (startNow) {
            keep(start(options, snapshot)); // outside the lock: a JVM start is slow, and take() must not wait
        }
    }

    private SpareJvm start(List<String> options, Path snapshot) {
        Path folder = null;
        try {
            folder = ChildFolders.create();
            SpareJvm started = SpareJvm.start(launch, options, snapshot, folder);
            log.debug("Started spare JVM {} for the next new child", started.pid());
            return started;
        } catch (IOException e) {
            log.debug("No spare JVM: {}", e.getMessage());
            if (folder != null) {
                ChildCommand.deleteStorage(folder);
            }
            return null;
        }
    }

    /** Keeps {@code started} as the spare, unless the keeper closed, was disabled or has one meanwhile. */
    private void keep(SpareJvm started) {
        synchronized (this) {
            starting = false;
            notifyAll(); // a child waiting for this spare (see awaitStarted)
            if (started == null) {
                return;
            }
            if (enabled && !closed && spare == null) {
                spare = started;
                return;
            }
        }
        release(started);
    }

    /** A child went: a spare that was due when the pool had no room for it is started now (after the delay). */
    void roomFreed() {
        synchronized (this) {
            if (!dueWhenRoom || !enabled || closed || replenishPending) {
                return;
            }
            dueWhenRoom = false;
            replenishPending = true;
        }
        later();
    }

    /** Lets the spare go if no child was started for {@code idleMillis} (0: never). */
    void retireIfIdle(long idleMillis) {
        SpareJvm idle = null;
        synchronized (this) {
            if (spare != null && idleMillis > 0 && System.nanoTime() - lastUseNanos >= idleMillis * 1_000_000) {
                log.debug("Retiring spare JVM {}: idle", spare.pid());
                idle = takeOut();
                idleRetired = true;
                inRun = false;
            }
        }
        release(idle);
    }

    /** Lets the spare go now, if there is one: a child that cannot be made of it needs its place. */
    void makeRoom() {
        release(takeOut());
    }

    synchronized long pid() {
        return spare != null && spare.isAlive() ? spare.pid() : -1;
    }

    /** Asks the spare to leave for good; {@link #awaitClosed} waits for it. */
    SpareJvm close() {
        boolean withSpare;
        synchronized (this) {
            closed = true;
            notifyAll(); // no child waits for a spare any more (see awaitStarted)
            // with one kept or on its way (a run that stops right after its call stops before its spare starts,
            // one that stops before its bundle set settled before the spare it resumes starts)
            withSpare = !idleRetired && (resuming || starting || replenishPending
                    || (spare != null && spare.isAlive()));
        }
        noteForNextRun(withSpare);
        SpareJvm s = takeOut();
        if (s != null) {
            s.stop();
        }
        return s;
    }

    /** Notes for the next run whether this one stopped with a spare ({@link #resumeWith}). */
    private void noteForNextRun(boolean withSpare) {
        Path marker;
        synchronized (this) {
            marker = resumeMarker;
        }
        if (marker == null) {
            return;
        }
        try {
            if (withSpare) {
                Files.writeString(marker, "a spare JVM was kept when this runtime stopped\n");
            } else {
                Files.deleteIfExists(marker);
            }
        } catch (IOException e) {
            log.debug("Could not note whether the next run starts a spare JVM early: {}", e.toString());
        }
    }

    /** Waits up to {@code millis} for a spare asked to leave by {@link #close} to exit, and deletes its folder. */
    static void awaitClosed(SpareJvm s, long millis) {
        if (s != null) {
            s.awaitExit(millis);
            ChildCommand.deleteStorage(s.storage());
        }
    }

    private synchronized SpareJvm takeOut() {
        SpareJvm s = spare;
        spare = null;
        return s;
    }

    /** Outside the lock: asks {@code s} to leave; its folder goes when it has (see {@link SpareJvm#stop}). */
    private static void release(SpareJvm s) {
        if (s != null) {
            s.stop();
        }
    }
}
