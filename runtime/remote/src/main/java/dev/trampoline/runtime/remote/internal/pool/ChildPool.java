package dev.trampoline.runtime.remote.internal.pool;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.osgi.service.log.Logger;

import dev.trampoline.runtime.remote.CallOptions;
import dev.trampoline.runtime.remote.internal.config.ConfigurationFeed;
import dev.trampoline.runtime.remote.internal.process.ArchiveTrainer;
import dev.trampoline.runtime.remote.internal.process.ChildCommand;
import dev.trampoline.runtime.remote.internal.process.ChildFolders;
import dev.trampoline.runtime.remote.internal.process.ChildLaunch;
import dev.trampoline.runtime.remote.internal.process.ChildLogRelay;
import dev.trampoline.runtime.remote.internal.process.ChildProcess;
import dev.trampoline.runtime.remote.internal.process.OwnSession;
import dev.trampoline.runtime.remote.internal.process.SpareJvm;
import dev.trampoline.runtime.remote.internal.wire.Payload;
import dev.trampoline.runtime.remote.internal.wire.ReadLimit;

/**
 * The children of this runtime. A reusable child serves every call with the same snapshot, JVM options and
 * environment; a call may ask for a fresh child of its own instead. When the snapshot changes, children of
 * the old one take no new calls and exit once their calls in flight are answered.
 */
public final class ChildPool {

    private final ChildLaunch launch;
    private final ReadLimit readLimit;
    private final ConfigurationFeed configurations;
    /** Learns of every child's answers and death: the dispatcher that owns this pool (see {@link #reportTo}). */
    private volatile ChildProcess.Listener listener;
    private final Logger log;
    /** Where JVMs start, under no lock of the pool. */
    private final Executor launcher;
    private final ChildLogRelay relay;
    private final List<ChildProcess> children = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    private final ArchiveTrainer trainer;
    private final SpareKeeper spares;

    /** A pool whose children start as {@code launch} says; they report to the listener set by {@link #reportTo}. */
    public ChildPool(ChildLaunch launch, ConfigurationFeed configurations, ReadLimit readLimit, Executor launcher,
            Logger log, ChildLogRelay relay) {
        this.launcher = launcher;
        this.launch = launch;
        this.relay = relay;
        this.readLimit = readLimit;
        this.configurations = configurations;
        this.log = log;
        this.trainer = new ArchiveTrainer(launch, log, relay);
        if (launch.jvm().noArchiveReason() != null) {
            // DEBUG: a normal set-up while developing (an IDE, exec:java, tests); children only start slower.
            log.debug("Children run without a class-data-sharing archive: {}", launch.jvm().noArchiveReason());
        }
        if (OwnSession.SETSID == null) {
            log.debug("No setsid program: child JVMs start in the runtime's process group, where a Ctrl-C in its"
                    + " terminal reaches them too");
        }
        this.spares = new SpareKeeper(launch, () -> liveCount() + 1 < settings.maxChildren(),
                () -> children.stream().anyMatch(c -> c.state() == ChildProcess.State.STARTING), log);
    }

    /** Children started from now on report their answers and death to {@code listener}; set before the first. */
    void reportTo(ChildProcess.Listener listener) {
        this.listener = listener;
    }

    /** The pid of the spare JVM (see {@link SpareJvm}), or -1 if none is running. */
    public long sparePid() {
        return spares.pid();
    }

    /** Whether a spare JVM is kept for the next new child with the default options (see {@link SpareJvm}). */
    public void spares(boolean on) {
        spares.enabled(on);
    }

    private volatile PoolSettings settings = PoolSettings.DEFAULT;

    /** Applies new settings: the standby count is made up at the next bundle-set change or call. */
    public void settings(PoolSettings settings) {
        this.settings = settings;
    }

    /** The settings in force. */
    public PoolSettings settings() {
        return settings;
    }

    /** Keeps at least {@code count} standby children from now on (0: none). */
    public void standby(int count) {
        settings = settings.withStandby(Math.max(0, count));
    }

    /** How many standby children the pool keeps. */
    public int standby() {
        return settings.standby();
    }

    /**
     * Retires used children that have had no call for the idle timeout, and those that reached their call
     * limit (they finish what they run first). Called periodically.
     */
    public void retireIdleAndWornOut() {
        PoolSettings s = settings;
        spares.retireIfIdle(s.idleTimeoutMillis());
        for (ChildProcess c : children) {
            if (!c.used() || !c.accepts()) {
                continue;
            }
            boolean idle = s.idleTimeoutMillis() > 0 && c.callsInFlight() == 0
                    && c.idleMillis() >= s.idleTimeoutMillis();
            boolean wornOut = s.maxCallsPerChild() > 0 && c.callsStarted() >= s.maxCallsPerChild();
            if (idle || wornOut) {
                log.debug("Retiring {}: {}", c, idle ? "idle" : "it served its maximum number of calls");
                c.retire();
            }
        }
    }

    private static String key(String snapshotHash, CallOptions options) {
        return snapshotHash + "|" + options.jvmOptions() + "|" + options.environment();
    }

    /** Whether {@code c} was started without call-specific JVM options or environment (only those may move). */
    private static boolean runsDefaultProcess(ChildProcess c) {
        return c.key().equals(key(c.snapshotHash(), CallOptions.DEFAULT));
    }

    private static boolean defaultProcess(CallOptions options) {
        return options.jvmOptions().isEmpty() && options.environment().isEmpty();
    }

    /**
     * A child with room for a call with {@code options} on the snapshot {@code snapshotHash}: a used child of
     * that snapshot and those options with fewer than the maximum calls in flight (cancelled calls whose answer
     * has not come included) and no such cancelled call; else a standby child (which a fresh call uses once);
     * else a new one, while there are fewer than the maximum children; else one with a cancelled call running.
     * Without a child the call waits, and {@link Dispatcher} asks again when a call ends, a child goes or a move
     * ends.
     */
    synchronized Acquisition tryAcquire(String snapshotHash, Path snapshotFile, CallOptions options)
            throws IOException {
        if (closed) {
            throw new IllegalStateException("The remote executor is stopping");
        }
        PoolSettings s = settings;
        String key = key(snapshotHash, options);
        for (ChildProcess c : children) {
            // Used children of another bundle set finish their calls and go; standby ones are moved instead.
            if (!c.snapshotHash().equals(snapshotHash) && c.accepts() && c.used()) {
                log.debug("Retiring {}: the bundle set changed", c);
                c.retire();
            }
        }
        ChildProcess chosen = null;
        ChildProcess busyWithCancelled = null;
        if (!options.fresh()) {
            for (ChildProcess c : children) {
                if (c.key().equals(key) && !c.singleUse() && c.accepts() && c.used()) {
                    if (s.maxCallsPerChild() > 0 && c.callsStarted() >= s.maxCallsPerChild()) {
                        c.retire(); // worn out: its calls in flight finish, new ones go elsewhere
                    } else if (c.callsInFlight() < s.maxCallsInFlight()) {
                        if (c.cancellingCalls() == 0) {
                            chosen = c;
                            break;
                        }
                        if (busyWithCancelled == null) {
                            busyWithCancelled = c; // the last resort, before waiting: see below
                        }
                    }
                }
            }
        }
        if (chosen == null && defaultProcess(options)) {
            chosen = readyStandby(key);
            if (chosen == null && standbyOnItsWay(key, snapshotHash, snapshotFile)) {
                // Moving in place is much faster than starting a JVM, so the call waits for it; the move's end
                // runs the room hook, and the dispatcher asks again. No lock is held while it moves.
                return Acquisition.MOVING;
            }
            if (chosen != null && options.fresh()) {
                chosen.markSingleUse();
            }
        }
        if (chosen == null && liveCount() < s.maxChildren()) {
            chosen = spawn(snapshotHash, snapshotFile, options);
        }
        if (chosen == null) {
            // A cancelled call may run on there, ignoring its interrupt: another child, even a new one, is
            // likelier to start the call soon; at the maximum of children it takes calls within its limit.
            chosen = busyWithCancelled;
        }
        if (chosen == null) {
            makeRoom(key);
            return Acquisition.FULL;
        }
        chosen.claim();
        replenish(snapshotHash, snapshotFile);
        return new Acquisition(chosen, false);
    }

    /**
     * A child for a call, or why there is none: the pool is full (every waiting call waits), or a standby child
     * is moving to the call's bundle set (calls of that lane wait for it).
     */
    record Acquisition(ChildProcess child, boolean poolFull) {
        static final Acquisition FULL = new Acquisition(null, true);
        static final Acquisition MOVING = new Acquisition(null, false);
    }

    /** At the maximum: an idle child of other options (or a standby one) goes, so a waiting call can start. */
    private void makeRoom(String key) {
        for (ChildProcess c : children) {
            if (c.accepts() && c.callsInFlight() == 0 && (!c.key().equals(key) || !c.used())) {
                log.debug("Retiring idle {} to make room for waiting calls", c);
                c.retire();
                return;
            }
        }
    }

    /** A never-used child ready for calls with {@code key}, or null. */
    private ChildProcess readyStandby(String key) {
        for (ChildProcess c : standbys()) {
            if (!c.updating() && c.key().equals(key)) {
                return c;
            }
        }
        return null;
    }

    /**
     * Whether a standby child is moving to this bundle set: one already on its way, or one of an older set
     * that starts moving now.
     */
    private boolean standbyOnItsWay(String key, String snapshotHash, Path snapshotFile) {
        List<ChildProcess> standbys = standbys();
        if (standbys.stream().anyMatch(c -> c.movingTo(key))) {
            return true;
        }
        for (ChildProcess c : standbys) {
            if (!c.updating() && !c.snapshotHash().equals(snapshotHash) && runsDefaultProcess(c)) {
                move(c, snapshotFile, snapshotHash, key);
                return true;
            }
        }
        return false;
    }

    private List<ChildProcess> standbys() {
        return children.stream().filter(c -> !c.used() && !c.singleUse() && c.accepts() && !c.training()).toList();
    }

    /**
     * Moves a standby child to another bundle set, without waiting. A move that fails or takes longer than
     * the settings' {@code moveTimeoutMillis} retires the child. Either way the room hook runs: calls may be waiting for it.
     */
    private void move(ChildProcess c, Path snapshotFile, String snapshotHash, String key) {
        c.moveTo(snapshotFile, snapshotHash, key)
                .completeOnTimeout(false, settings.moveTimeoutMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                .exceptionally(e -> false)
                .thenAccept(moved -> {
                    if (moved) {
                        log.info("Standby child {} moved in place to snapshot {} (move {})", c.pid(),
                                snapshotHash.substring(0, 12), c.moves());
                    } else {
                        log.debug("Retiring {}: it did not move to snapshot {}", c, snapshotHash.substring(0, 12));
                        c.retire();
                    }
                    roomHook.run();
                });
    }

    private volatile Runnable roomHook = () -> { };

    /**
     * What to run when a child may have room for waiting calls outside a call's own answer (a standby child
     * finished moving). It must not run the dispatcher in the calling thread: it may hold the pool's lock.
     */
    public void onRoom(Runnable hook) {
        roomHook = hook;
    }

    /** Child JVMs running now, the one making the class-data archive included. */
    private int liveCount() {
        return children.size() + (trainer.running() ? 1 : 0);
    }

    /**
     * A new child for {@code options}, taking calls at once; its JVM starts on the launcher executor (see
     * {@link #launch}).
     */
    private ChildProcess spawn(String snapshotHash, Path snapshotFile, CallOptions options) {
        if (trainer.wanted() && liveCount() + 1 < settings.maxChildren()) {
            ChildProcess trainee = trainer.start(snapshotHash, snapshotFile);
            if (trainee != null) {
                StartTimeout.limit(trainee, settings.startTimeoutMillis());
                // After the trainer's own hook: the archive changed the options, or its exit left room.
                trainee.onExit(clean -> spares.replenishSoon(snapshotFile));
            }
        }
        List<String> jvmOptions = launch.jvm().forChild(options.jvmOptions(), null);
        ChildProcess child = ChildProcess.prepare(snapshotHash, key(snapshotHash, options), options.fresh(), listener,
                readLimit, log, relay);
        children.add(child);
        StartTimeout.limit(child, settings.startTimeoutMillis());
        child.whenReady(() -> log.debug("Child {} ready {} ms after its start: {}", child.pid(),
                child.uptime().toMillis(), child.readyReport()));
        if (options.jvmOptions().isEmpty() && options.environment().isEmpty()) {
            child.whenReady(() -> spares.replenishSoon(snapshotFile));
        }
        try {
            launcher.execute(() -> launch(child, jvmOptions, options.environment(), snapshotFile));
        } catch (RejectedExecutionException stopping) {
            child.launchFailed(new IOException("the remote executor is stopping"));
        }
        return child;
    }

    /**
     * Starts {@code child}'s JVM, or makes it of the spare: under no lock, since taking the spare or starting a
     * JVM may be slow, and calls to other children must not wait for it.
     */
    private void launch(ChildProcess child, List<String> jvmOptions, Map<String, String> environment,
            Path snapshotFile) {
        SpareJvm spare = spares.take(jvmOptions, environment);
        if (spare == null && liveCount() + 1 > settings.maxChildren()) {
            spares.makeRoom(); // the spare and this child would be one JVM more than maxChildren
        }
        Path storage = null;
        long configured;
        try {
            storage = spare != null ? spare.storage() : ChildFolders.create();
            configured = configurations.writeInto(storage);
            child.launch(launch.starter(), new ChildCommand(launch.java(), launch.classPath(), launch.mainClass(), jvmOptions,
                    environment, snapshotFile, storage), spare);
        } catch (IOException | RuntimeException e) {
            if (storage != null) {
                ChildCommand.deleteStorage(storage); // with the configurations written there
            }
            child.launchFailed(e);
            return;
        }
        log.debug("Started {}", child);
        try {
            configurations.sendIfChangedSince(configured, child::configure);
        } catch (IOException | RuntimeException e) {
            // Its JVM runs: failing it here would leave that JVM outside the pool. Configuration Admin throws
            // while the framework stops; the child is then closed with the pool.
            log.warn("Child {} may miss a configuration changed while it started: {}", child.pid(), e.toString());
        }
    }

    /** A configuration changed: every child that may still serve a call gets them all as they are now. */
    public void configurationsChanged() throws IOException {
        configurations.changed(() -> children.stream()
                .filter(c -> !c.training() && c.state() != ChildProcess.State.DEAD)
                .map(c -> (java.util.function.Consumer<byte[]>) c::configure).toList());
    }

    /** Starts or retires standby children until there are as many as wanted for this bundle set. */
    private void replenish(String snapshotHash, Path snapshotFile) throws IOException {
        String key = key(snapshotHash, CallOptions.DEFAULT);
        List<ChildProcess> standbys = children.stream().filter(c -> !c.used() && !c.singleUse() && c.accepts()
                && !c.training() && (c.key().equals(key) || c.updating())).toList();
        int wanted = settings.standby();
        for (int i = standbys.size(); i < wanted && liveCount() < settings.maxChildren(); i++) {
            spawn(snapshotHash, snapshotFile, CallOptions.DEFAULT);
        }
        for (int i = wanted; i < standbys.size(); i++) {
            standbys.get(i).retire(); // fewer wanted now
        }
    }

    /**
     * The bundle set changed: standby children move to it in place (no JVM start for the next call), children
     * that ran calls retire once idle, and the standby count is made up.
     */
    public synchronized void bundleSetChanged(String snapshotHash, Path snapshotFile) throws IOException {
        if (closed) {
            return;
        }
        String key = key(snapshotHash, CallOptions.DEFAULT);
        for (ChildProcess c : children) {
            if (c.snapshotHash().equals(snapshotHash) || !c.accepts() || c.training()) {
                continue;
            }
            if (c.used() || c.singleUse() || !runsDefaultProcess(c)) {
                c.retire();
            } else if (!c.updating()) {
                move(c, snapshotFile, snapshotHash, key);
            }
        }
        replenish(snapshotHash, snapshotFile);
    }

    /** Serialized calls that any child of this pool can answer, for the training child to run. */
    public void warmUpCalls(java.util.function.Supplier<List<Payload>> calls) {
        trainer.warmUpCalls(calls);
    }

    /** Drops a child that is gone from the pool. */
    public void forget(ChildProcess child) {
        children.remove(child);
    }

    /** The children now, the training child not included. */
    public List<ChildProcess> children() {
        return new ArrayList<>(children);
    }

    /** Kills the child with {@code pid}; its calls fail. Returns false if no such child. */
    public boolean kill(long pid) {
        for (ChildProcess c : children) {
            if (c.pid() == pid) {
                c.kill();
                return true;
            }
        }
        return false;
    }

    /**
     * Ends every child: idle ones exit cleanly, busy ones are killed; waits a bounded time for them to be gone,
     * so that a runtime that stops leaves no child behind it.
     */
    public void close() {
        List<ChildProcess> all;
        synchronized (this) { // no call or bundle-set change is adding a child meanwhile
            closed = true;
            all = children();
        }
        SpareJvm spare = spares.close();
        ChildProcess trainee = trainer.current();
        if (trainee != null) {
            all.add(trainee); // let it finish its archive, within the same bounded wait
        }
        for (ChildProcess c : all) {
            if (c == trainee) {
                continue;
            }
            if (c.callsInFlight() == 0) {
                c.retire();
            } else {
                c.kill();
            }
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        for (ChildProcess c : all) {
            try {
                if (!c.awaitExit(Math.max(1, (deadline - System.nanoTime()) / 1_000_000))) {
                    c.kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                c.kill();
            }
        }
        SpareKeeper.awaitClosed(spare, Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
    }
}
