package dev.trampoline.runtime.remote.internal.pool;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.osgi.service.log.Logger;

import dev.trampoline.runtime.remote.CallOptions;
import dev.trampoline.runtime.remote.ChildFailedException;
import dev.trampoline.runtime.remote.internal.call.PendingCall;
import dev.trampoline.runtime.remote.internal.config.ConfigurationFeed;
import dev.trampoline.runtime.remote.internal.process.ArchiveTrainer;
import dev.trampoline.runtime.remote.internal.process.ChildCommand;
import dev.trampoline.runtime.remote.internal.process.ChildFolders;
import dev.trampoline.runtime.remote.internal.process.ChildLaunch;
import dev.trampoline.runtime.remote.internal.process.ChildLogRelay;
import dev.trampoline.runtime.remote.internal.process.ChildProcess;
import dev.trampoline.runtime.remote.internal.process.ChildProcess.Role;
import dev.trampoline.runtime.remote.internal.process.OwnSession;
import dev.trampoline.runtime.remote.internal.process.SpareJvm;
import dev.trampoline.runtime.remote.internal.wire.Frame;
import dev.trampoline.runtime.remote.internal.wire.Payload;
import dev.trampoline.runtime.remote.internal.wire.ReadLimit;

/**
 * The children of this runtime. A reusable child serves every call with the same snapshot, JVM options and
 * environment; a call may ask for a fresh child of its own instead. When the snapshot changes, children of
 * the old one take no new calls and exit once their calls in flight are answered.
 * <p>
 * Its decisions run in the {@link PoolLoop}, which owns its list of children and their states: methods that say
 * "in the loop" are called from a loop event; the others post one. The list is also published, for the shell
 * and the configuration feed to read.
 */
public final class ChildPool {

    private final ChildLaunch launch;
    private final ConfigurationFeed configurations;
    private final PoolLoop loop;
    /** Where JVMs start, channels close and timers fire: never in the loop. */
    private final Executor workers;
    private final Logger log;
    private final ChildProcess.Context context;
    /** Written in the loop only. */
    private final List<ChildProcess> children = new CopyOnWriteArrayList<>();
    /** Set in the loop when the pool closes: no child starts after. */
    private boolean closed;
    private final ArchiveTrainer trainer;
    /**
     * How long the pool must have been idle (no child booting, none started, no call in flight) before the
     * training child starts: beside a child's boot or its calls it would take the cores they need.
     */
    private static final long TRAINING_QUIET_MILLIS = 1_000;
    /** In the loop: whether a look for an idle moment to train in is due, and the bundle set to train on. */
    private boolean trainingDue;
    private String trainingHash;
    private Path trainingFile;
    private long lastSpawnNanos;
    /**
     * The newest bundle set the loop gave the pool (a child's, or one it follows): a spare started later prepares
     * that one, not the older set of the child whose readiness asked for it.
     */
    private volatile Path latestSnapshotFile;
    private final SpareKeeper spares;
    /** Learns of every child's answers and death: the dispatcher that owns this pool (see {@link #reportTo}). */
    private volatile ChildProcess.Listener owner;
    private volatile PoolSettings settings = PoolSettings.DEFAULT;

    /**
     * A pool whose children start as {@code launch} says, whose state {@code loop} owns, and whose JVMs start on
     * {@code workers}; the children report to the listener set by {@link #reportTo}.
     */
    public ChildPool(ChildLaunch launch, ConfigurationFeed configurations, ReadLimit readLimit, PoolLoop loop,
            Executor workers, Logger log, ChildLogRelay relay) {
        this.launch = launch;
        this.configurations = configurations;
        this.loop = loop;
        this.workers = workers;
        this.log = log;
        this.context = new ChildProcess.Context(loop, workers, new ToOwner(), readLimit, log, relay,
                launch.roundTrips());
        this.trainer = new ArchiveTrainer(launch, context);
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
        if (launch.heartbeat().enabled()) {
            heartbeatsEvery(launch.heartbeat().intervalMillis());
        }
    }

    /**
     * Every {@code millis}, in the loop, each child (the training child too) is sent a heartbeat, on a worker,
     * unless a frame began to be written to it in the last half of that: so a child hears from its parent at
     * least every one and a half intervals, and a busy channel carries none. Until the pool closes: the children
     * it closes then exit as their channel ends.
     */
    private void heartbeatsEvery(long millis) {
        later(millis, () -> {
            if (closed) {
                return;
            }
            for (ChildProcess c : children) {
                c.heartbeatIfQuietFor(millis / 2);
            }
            ChildProcess trainee = trainer.current();
            if (trainee != null) {
                trainee.heartbeatIfQuietFor(millis / 2);
            }
            heartbeatsEvery(millis);
        });
    }

    /** Children report their answers and death to {@code listener}; set once, before the first call. */
    void reportTo(ChildProcess.Listener listener) {
        this.owner = listener;
    }

    /** Passes every child's report on to the owner set by {@link #reportTo}. */
    private final class ToOwner implements ChildProcess.Listener {
        @Override
        public void answered(ChildProcess child, PendingCall call, Frame frame) {
            owner.answered(child, call, frame);
        }

        @Override
        public void roomChanged(ChildProcess child) {
            owner.roomChanged(child);
        }

        @Override
        public void died(ChildProcess child, List<PendingCall> orphans, ChildFailedException cause) {
            children.remove(child);
            spares.roomFreed();
            owner.died(child, orphans, cause);
        }
    }

    /** The pid of the spare JVM (see {@link SpareJvm}), or -1 if none is running. */
    public long sparePid() {
        return spares.pid();
    }

    /** Whether a spare JVM is kept for the next new child with the default options (see {@link SpareJvm}). */
    public void spares(boolean on) {
        spares.enabled(on);
    }

    /**
     * Notes in {@code marker} whether the pool stops with a spare JVM; if the last run did, the next spare starts
     * as soon as the bundle set settles (see {@link SpareKeeper#resumeWith}). Returns whether it will.
     */
    public boolean resumeSpares(Path marker) {
        return spares.resumeWith(marker);
    }

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
     * limit (they finish what they run first); lets an idle spare go. Called periodically.
     */
    public void retireIdleAndWornOut() {
        PoolSettings s = settings;
        spares.retireIfIdle(s.idleTimeoutMillis());
        loop.execute(() -> {
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
        });
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
     * In the loop: a child with room for a call with {@code options} on the snapshot {@code snapshotHash}: a used
     * child of that snapshot and those options with fewer than the maximum calls in flight (cancelled calls whose
     * answer has not come included) and no such cancelled call; else a standby child (which a fresh call uses
     * once); else a new one, while there are fewer than the maximum children; else one with a cancelled call
     * running. Without a child the call waits, and {@link Dispatcher} asks again when a child may have room.
     */
    Acquisition tryAcquire(String snapshotHash, Path snapshotFile, CallOptions options) {
        return tryAcquire(snapshotHash, snapshotFile, options, null);
    }

    /**
     * As {@link #tryAcquire(String, Path, CallOptions)}, for a call of a bulk call spread over several children
     * ({@code spread}; null: not spread), which chooses among the used children with room (see {@link Spread}).
     */
    Acquisition tryAcquire(String snapshotHash, Path snapshotFile, CallOptions options, Spread spread) {
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
        ChildProcess spreadFallback = null;
        if (!options.fresh()) {
            List<ChildProcess> withRoom = spread == null ? null : new ArrayList<>();
            for (ChildProcess c : children) {
                if (c.key().equals(key) && c.role() == Role.SHARED && c.accepts()) {
                    if (s.maxCallsPerChild() > 0 && c.callsStarted() >= s.maxCallsPerChild()) {
                        c.retire(); // worn out: its calls in flight finish, new ones go elsewhere
                    } else if (c.callsInFlight() < s.maxCallsInFlight()) {
                        if (c.cancellingCalls() == 0) {
                            if (withRoom == null) {
                                chosen = c;
                                break;
                            }
                            withRoom.add(c);
                            continue;
                        }
                        if (busyWithCancelled == null) {
                            busyWithCancelled = c; // the last resort, before waiting: see below
                        }
                    }
                }
            }
            if (spread != null) {
                chosen = spread.choose(withRoom); // null: another child, if one can be had, or wait
                spreadFallback = Spread.fallback(withRoom);
            }
        }
        if (chosen == null && spread != null && spread.atWidth()) {
            return Acquisition.AT_SPREAD_WIDTH; // its children are busy: it takes no further one
        }
        if (chosen == null && defaultProcess(options)) {
            chosen = readyStandby(key);
            if (chosen == null && standbyOnItsWay(key, snapshotHash, snapshotFile)) {
                // Moving in place is much faster than starting a JVM, so the call waits for it; the move's end
                // tells the dispatcher, which asks again.
                return Acquisition.MOVING;
            }
        }
        if (chosen == null && liveCount() < s.maxChildren()) {
            chosen = spawn(snapshotHash, snapshotFile, options, options.fresh() ? Role.SINGLE_USE : Role.SHARED);
        }
        if (chosen == null) {
            chosen = spreadFallback; // a spread call found no other child: one it may share
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
        chosen.claim(options.fresh());
        if (spread != null) {
            spread.placedOn(chosen);
        }
        replenish(snapshotHash, snapshotFile);
        return new Acquisition(chosen, false, false);
    }

    /**
     * A child for a call, or why there is none: the pool is full (every waiting call waits), a standby child is
     * moving to the call's bundle set (calls of that lane wait for it), or the call's bulk call has calls on as
     * many children as it may use and none of them has room (that call waits; others go on).
     */
    record Acquisition(ChildProcess child, boolean poolFull, boolean spreadFull) {
        static final Acquisition FULL = new Acquisition(null, true, false);
        static final Acquisition MOVING = new Acquisition(null, false, false);
        static final Acquisition AT_SPREAD_WIDTH = new Acquisition(null, false, true);
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

    /** A ready standby child for calls with {@code key}, or null. */
    private ChildProcess readyStandby(String key) {
        for (ChildProcess c : standbys()) {
            if (c.accepts() && c.key().equals(key)) {
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
            if (!c.updating() && !c.snapshotHash().equals(snapshotHash) && runsDefaultProcess(c)
                    && move(c, snapshotFile, snapshotHash, key)) {
                return true;
            }
        }
        return false;
    }

    /** Standby children that may take a call or move: starting, ready or moving. */
    private List<ChildProcess> standbys() {
        return children.stream().filter(c -> c.role() == Role.STANDBY && (c.accepts() || c.updating())).toList();
    }

    /**
     * Moves a standby child to another bundle set, without waiting; false if it cannot. A move that fails or takes longer than the settings' {@code moveTimeoutMillis} retires the
     * child; either way the dispatcher learns that the child may have room.
     */
    private boolean move(ChildProcess c, Path snapshotFile, String snapshotHash, String key) {
        int move = c.moveTo(snapshotFile, snapshotHash, key);
        if (move == 0) {
            return false;
        }
        long limit = settings.moveTimeoutMillis();
        later(limit, () -> c.abandonMove(move, "it did not move within " + limit
                + " ms (trampoline.pool.moveTimeoutMillis)"));
        return true;
    }

    /** Runs {@code event} in the loop after {@code millis} (not at all once the workers stopped). */
    private void later(long millis, Runnable event) {
        CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS, workers).execute(() -> loop.execute(event));
    }

    /** Child JVMs running now, the one making the class-data archive included. */
    private int liveCount() {
        return children.size() + (trainer.running() ? 1 : 0);
    }

    /**
     * In the loop: a new child for {@code options}, taking calls at once; its JVM starts on a worker (see
     * {@link #launch}).
     */
    private ChildProcess spawn(String snapshotHash, Path snapshotFile, CallOptions options, Role role) {
        lastSpawnNanos = System.nanoTime();
        latestSnapshotFile = snapshotFile;
        trainWhenIdle(snapshotHash, snapshotFile);
        ChildProcess child = ChildProcess.prepare(snapshotHash, key(snapshotHash, options), role, context);
        children.add(child);
        limitStart(child);
        child.whenReady(() -> log.debug("Child {} ready {} ms after its start: {}", child.pid(),
                child.uptime().toMillis(), child.readyReport()));
        if (defaultProcess(options)) {
            child.whenReady(() -> spares.replenishSoon(latestSnapshotFile));
        }
        try {
            workers.execute(() -> launch(child, options, snapshotFile));
        } catch (RejectedExecutionException stopping) {
            child.launchFailed(new IOException("the remote executor is stopping"));
        }
        return child;
    }

    /**
     * In the loop: the training child (if an archive is wanted) starts on the latest bundle set once the pool has
     * been idle for {@link #TRAINING_QUIET_MILLIS} and has room for it besides another child.
     */
    private void trainWhenIdle(String snapshotHash, Path snapshotFile) {
        trainingHash = snapshotHash;
        trainingFile = snapshotFile;
        if (!trainer.wanted() || trainingDue || closed) {
            return;
        }
        trainingDue = true;
        later(TRAINING_QUIET_MILLIS, this::trainIfIdle);
    }

    private void trainIfIdle() {
        trainingDue = false;
        if (closed || !trainer.wanted() || settings.maxChildren() < 2) {
            return; // with one child at most there is never room for it besides a child: none is made
        }
        boolean busy = System.nanoTime() - lastSpawnNanos < TRAINING_QUIET_MILLIS * 1_000_000
                || children.stream().anyMatch(c -> c.booting() || c.callsInFlight() > 0)
                || liveCount() + 1 >= settings.maxChildren();
        if (busy) {
            trainWhenIdle(trainingHash, trainingFile);
            return;
        }
        Path snapshotFile = trainingFile;
        ChildProcess trainee = trainer.start(trainingHash, snapshotFile);
        if (trainee != null) {
            limitStart(trainee);
            // After the trainer's own hook: the archive changed the options, or its exit left room.
            trainee.onExit(clean -> {
                spares.replenishSoon(latestSnapshotFile);
                loop.execute(() -> owner.roomChanged(trainee));
            });
        }
    }

    /**
     * A child not ready {@code startTimeoutMillis} after it was asked for is killed, whatever its state (it may
     * have been retired, or asked to move, while it booted); its calls fail saying why.
     */
    private void limitStart(ChildProcess child) {
        long millis = settings.startTimeoutMillis();
        if (millis > 0) {
            later(millis, () -> {
                if (child.booting()) {
                    child.kill("it was not ready " + millis + " ms after its start (trampoline.pool."
                            + "startTimeoutMillis): a bundle's activator may not return there; see the"
                            + " child's stack on stderr, or raise the limit");
                }
            });
        }
    }

    /**
     * On a worker: starts {@code child}'s JVM, or makes it of the spare, since taking the spare or starting a JVM
     * may be slow.
     */
    private void launch(ChildProcess child, CallOptions options, Path snapshotFile) {
        List<String> jvmOptions = launch.jvmOptions(options.jvmOptions(), null);
        Map<String, String> environment = options.environment();
        SpareJvm spare = spares.take(jvmOptions, environment, child.role() != Role.STANDBY);
        if (spare == null && liveCount() + 1 > settings.maxChildren()) {
            spares.makeRoom(); // the spare and this child would be one JVM more than maxChildren
        }
        Path storage = null;
        long configured;
        try {
            storage = spare != null ? spare.storage() : ChildFolders.create();
            configured = configurations.writeInto(storage);
            child.launch(launch.starter(), new ChildCommand(launch.java(), launch.classPath(), launch.mainClass(),
                    jvmOptions, environment, snapshotFile, storage), spare);
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
                .map(c -> (Consumer<byte[]>) c::configure).toList());
    }

    /** In the loop: starts or retires standby children until there are as many as wanted for this bundle set. */
    private void replenish(String snapshotHash, Path snapshotFile) {
        String key = key(snapshotHash, CallOptions.DEFAULT);
        List<ChildProcess> standbys = standbys().stream().filter(c -> c.key().equals(key) || c.updating()).toList();
        int wanted = settings.standby();
        for (int i = standbys.size(); i < wanted && liveCount() < settings.maxChildren(); i++) {
            spawn(snapshotHash, snapshotFile, CallOptions.DEFAULT, Role.STANDBY);
        }
        for (int i = wanted; i < standbys.size(); i++) {
            standbys.get(i).retire(); // fewer wanted now
        }
    }

    /**
     * In the loop: the bundle set changed: standby children move to it in place (no JVM start for the next call),
     * children that ran calls retire once idle, and the standby count is made up.
     */
    void followBundleSet(String snapshotHash, Path snapshotFile) {
        if (closed) {
            return;
        }
        latestSnapshotFile = snapshotFile;
        if (trainingDue) { // train on the set children will run
            trainingHash = snapshotHash;
            trainingFile = snapshotFile;
        }
        String key = key(snapshotHash, CallOptions.DEFAULT);
        for (ChildProcess c : children) {
            if (c.snapshotHash().equals(snapshotHash) || !c.accepts() || c.training()) {
                continue;
            }
            if (c.used() || !runsDefaultProcess(c) || !move(c, snapshotFile, snapshotHash, key)) {
                c.retire();
            }
        }
        replenish(snapshotHash, snapshotFile);
        spares.bundleSetChanged(snapshotFile);
    }

    /** Serialized calls that any child of this pool can answer, for the training child to run. */
    public void warmUpCalls(java.util.function.Supplier<List<Payload>> calls) {
        trainer.warmUpCalls(calls);
    }

    /**
     * How many more calls like one with {@code options} could each have a child to themselves now: its idle
     * children that take calls (standby ones too, for a call without JVM options or environment of its own; none
     * for a fresh call, which needs a new one) and the children it may still start. An estimate read outside the
     * loop, which may be out of date as soon as it is read: where a call goes, not whether it may run.
     */
    public int freeSlots(CallOptions options) {
        int free = Math.max(0, settings.maxChildren() - liveCount());
        if (options.fresh()) {
            return free;
        }
        boolean defaultProcess = defaultProcess(options);
        String process = key("", options); // a key without its bundle set: the JVM options and environment
        for (ChildProcess c : children) {
            boolean fits = c.role() == Role.SHARED ? c.key().endsWith(process)
                    : c.role() == Role.STANDBY && defaultProcess;
            if (fits && c.accepts() && c.callsInFlight() == 0) {
                free++;
            }
        }
        return free;
    }

    /** The children now, the training child not included. */
    public List<ChildProcess> children() {
        return new ArrayList<>(children);
    }

    /** Kills the child with {@code pid}; its calls fail. Returns false if no such child. */
    public boolean kill(long pid) {
        for (ChildProcess c : children) {
            if (pid > 0 && c.pid() == pid) {
                loop.execute(c::kill);
                return true;
            }
        }
        return false;
    }

    /**
     * Ends every child: idle ones exit cleanly, busy ones are killed; waits a bounded time for them to be gone,
     * so that a runtime that stops leaves no child behind it. Never call it in the loop.
     */
    public void close() {
        if (loop.inLoop()) {
            throw new IllegalStateException("the pool cannot wait for its children in its own loop");
        }
        CompletableFuture<List<ChildProcess>> closing = new CompletableFuture<>();
        loop.execute(() -> {
            closed = true; // no call or bundle-set change adds a child after this
            List<ChildProcess> all = children();
            try {
                for (ChildProcess c : all) {
                    if (c.callsInFlight() == 0) {
                        c.retire();
                    } else {
                        c.kill();
                    }
                }
            } finally {
                closing.complete(all); // whatever happened, the waiting below is bounded
            }
        });
        List<ChildProcess> all = closing.join();
        SpareJvm spare = spares.close();
        ChildProcess trainee = trainer.current();
        if (trainee != null) {
            all.add(trainee); // let it finish its archive, within the same bounded wait
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        for (ChildProcess c : all) {
            try {
                if (!c.awaitExit(Math.max(1, (deadline - System.nanoTime()) / 1_000_000))) {
                    loop.execute(c::kill);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                loop.execute(c::kill);
            }
        }
        SpareKeeper.awaitClosed(spare, Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
    }
}
