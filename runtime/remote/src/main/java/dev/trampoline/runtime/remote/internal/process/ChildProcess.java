package dev.trampoline.runtime.remote.internal.process;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;

import org.osgi.service.log.Logger;

import dev.trampoline.runtime.remote.ChildFailedException;
import dev.trampoline.runtime.remote.internal.call.PendingCall;
import dev.trampoline.runtime.remote.internal.thread.Daemons;
import dev.trampoline.runtime.remote.internal.wire.Frame;
import dev.trampoline.runtime.remote.internal.wire.Payload;
import dev.trampoline.runtime.remote.internal.wire.ReadLimit;

/**
 * One child as the parent sees it: the process, its channel (stdin/stdout, framed), its calls in flight, and the
 * last lines it wrote to stderr (which also go to the parent's log, prefixed with its pid).
 * <p>
 * Its life is one state machine ({@link State}, with its {@link Role}), owned by the pool's loop: every change of
 * state, and every call taken into or out of flight, happens in an event of {@link Context#loop()}. The threads
 * that read the child's stdout and stderr only read: they post what they read to the loop, except the answer to
 * a call, which settles the caller's promise in the reading thread (no hand-off before the caller wakes) and then
 * tells the loop the call ended. Nothing that blocks runs in the loop: frames are written by the caller that
 * placed the call or on {@link Context#workers()}, and the JVM is started there too.
 */
public final class ChildProcess {

    /** What a child's answers and death mean to its owner. */
    public interface Listener {
        /**
         * {@code child} answered {@code call} (a result or a failure) with {@code frame}: called in the thread that
         * read the answer, before the loop learns that the call ended.
         */
        void answered(ChildProcess child, PendingCall call, Frame frame);

        /** In the loop: {@code child} may have room for another call (a call ended, it became ready or moved). */
        default void roomChanged(ChildProcess child) {
        }

        /**
         * In the loop: {@code child} is gone; {@code orphans} were in flight, {@code cause} says why (null: a
         * clean exit; never null with orphans).
         */
        void died(ChildProcess child, List<PendingCall> orphans, ChildFailedException cause);
    }

    /**
     * What a child reports to and runs on: the loop that owns its state, the threads that write its frames and
     * start its JVM, the listener of its answers and death, the limit on what it may make this JVM allocate,
     * where its log lines go, and where its warm calls' round trips are counted (null: nowhere, as on this
     * machine).
     */
    public record Context(Executor loop, Executor workers, Listener listener, ReadLimit limit, Logger log,
            ChildLogRelay relay, RoundTrips roundTrips) {

        /** This context with another listener. */
        public Context reportingTo(Listener other) {
            return new Context(loop, workers, other, limit, log, relay, roundTrips);
        }
    }

    /**
     * Where a child is in its life. {@code STARTING} (its JVM boots; calls taken meanwhile wait in its channel)
     * becomes {@code READY} when it says so. A standby child, starting or ready, may be {@code MOVING} to another
     * bundle set, and is {@code READY} once it moved (or {@code RETIRING} when it could not). {@code RETIRING}: it takes no new
     * call, and its channel is closed once its calls in flight are answered, upon which it exits. {@code DEAD}:
     * its process ended (from any state). No other transition happens.
     */
    public enum State { STARTING, READY, MOVING, RETIRING, DEAD }

    /**
     * What a child is for. A {@code STANDBY} child has run no call and may move to another bundle set; its first
     * call makes it {@code SHARED} (it serves every call of its bundle set and options), or {@code SINGLE_USE} if
     * that call is a fresh one; a child started for a call has that role from its start. {@code TRAINING}: the
     * class-data training child, which serves no caller.
     */
    public enum Role { STANDBY, SHARED, SINGLE_USE, TRAINING }

    private final Context context;
    private final Logger log;
    /** Set once its JVM started ({@link #launch}); null before. */
    private volatile Process process;
    /** Set by {@link #kill} before the JVM started: it is killed as soon as it starts. */
    private volatile boolean killRequested;
    /** The process as soon as its starter made it, before {@link #process} is set at the end of the launch. */
    private volatile Process startedProcess;
    /** Completes with the pid once the JVM started, before anything of it is read. */
    private final CompletableFuture<Long> launched = new CompletableFuture<>();
    private final ChildChannel channel;
    /** Times this child's warm calls into its host's round trips; null on this machine (see {@link RoundTrips}). */
    private final CallTimer timer;
    private final CallsInFlight calls = new CallsInFlight();
    /** The reader of the stderr of {@link #stderrOf}, the last process started for this child. */
    private volatile ChildStderr stderr;
    private volatile Process stderrOf;
    private volatile Path storage;
    private final Instant started = Instant.now();
    /** Completes with the child's start report when it is ready, with null if it never is. */
    private final CompletableFuture<String> ready = new CompletableFuture<>();
    private final ExitSignal exit = new ExitSignal();
    /** Why the channel broke, for the message of its calls' failure; set by whoever broke or killed it. */
    private volatile String channelError;

    // Owned by the loop; volatile so that others (the shell, the pool's published list) read them as they are.
    private volatile State state = State.STARTING;
    private volatile Role role;
    private volatile String snapshotHash;
    private volatile String key;
    /** The move in progress while MOVING (the bundle set and key it moves to), else null. */
    private volatile Move move;
    private volatile int moves;
    /** Moves asked of the child; the reader counts the answers against it (a child answers none unasked). */
    private final AtomicInteger movesAsked = new AtomicInteger();
    private volatile long callsSent;
    private volatile long served;
    private volatile long lastActivityNanos = System.nanoTime();
    /** Set when the child is to be killed rather than closed once its calls in flight end; why. */
    private String killWhenIdle;
    /** Whether the pool asked this child to end (retired or killed it): its exit is then no surprise. */
    private boolean endAsked;

    private ChildProcess(String snapshotHash, String key, Role role, Context context) {
        this.snapshotHash = snapshotHash;
        this.key = key;
        this.role = role;
        this.context = context;
        this.log = context.log();
        this.timer = context.roundTrips() == null ? null : context.roundTrips().forChild();
        this.channel = new ChildChannel(timer);
    }

    /**
     * A child whose JVM is not started yet: it takes calls at once (their frames wait, as for any child that is
     * not ready), and {@link #launch} starts its JVM later, off the loop; or {@link #launchFailed} ends it.
     */
    public static ChildProcess prepare(String snapshotHash, String key, Role role, Context context) {
        return new ChildProcess(snapshotHash, key, role, context);
    }

    /**
     * Starts this child's JVM from {@code command} with {@code starter}, or makes it of {@code spare} if that can
     * be it. It may be slow (a spare that cannot be the child is killed and waited for): never call it in the loop.
     * If it throws, the caller ends the child with {@link #launchFailed}.
     */
    public void launch(ChildStarter starter, ChildCommand command, SpareJvm spare) throws IOException {
        if (killRequested) { // no JVM for a child killed already (a call's time limit, the start limit)
            throw new IOException("it was killed before its JVM started" + (channelError == null ? ""
                    : " (" + channelError + ")"));
        }
        Process p = starter.start(command, spare, this::started);
        storage = command.storage();
        try {
            channel.attach(p.getOutputStream());
            if (stderrOf != p) { // a starter that did not say when it made the process
                readStderr(p);
            }
            process = p;
            launched.complete(p.pid()); // before its output is read: whoever waits for the pid learns it first
            Daemons.thread("trampoline-child-" + p.pid() + "-out",
                    new ChildReader(p, stderr, context.limit(), new FromChild(p.pid()))).start();
        } catch (RuntimeException | Error e) { // no thread to read it (out of native threads, say): it must go
            p.destroyForcibly();
            process = null;
            throw new IOException("its channel could not be read: " + e, e);
        }
        if (killRequested) { // after process was set: a kill either saw it or is seen here
            p.destroyForcibly();
        }
    }

    /** Ends a child whose JVM could not be started: its calls fail, saying why. From any thread. */
    public void launchFailed(Exception e) {
        if (role == Role.TRAINING) {
            log.debug("Could not start the class-data training child: {}", e.toString());
        } else {
            log.warn("Could not start a child JVM: {}", e.toString());
        }
        Path folder = storage;
        String why = stderrTailAfterFailure();
        inLoop(() -> ended(null, "Cannot start a child for the call: " + e.getMessage(), why, folder));
    }

    /** Runs {@code action} with the child's pid once its JVM started (at once if it has), before any answer. */
    public void whenLaunched(LongConsumer action) {
        launched.thenAccept(action::accept);
    }

    /** The child's process id; -1 before its JVM started. */
    public long pid() {
        Process p = process;
        return p == null ? -1 : p.pid();
    }

    /** The hash of the bundle set the child runs. */
    public String snapshotHash() {
        return snapshotHash;
    }

    /** The snapshot, JVM options and environment this child serves: calls with the same key may share it. */
    public String key() {
        return key;
    }

    /** Where the child is in its life. */
    public State state() {
        return state;
    }

    /** What the child is for. */
    public Role role() {
        return role;
    }

    /** Calls the child answered. */
    public long callsServed() {
        return served;
    }

    /** Calls sent to the child and not answered yet, cancelled ones included (see {@link #cancellingCalls}). */
    public int callsInFlight() {
        return calls.count();
    }

    /** Calls cancelled here that still run (their answer has not come). */
    public int cancellingCalls() {
        return calls.cancellingCount();
    }

    /** In the loop: whether call {@code callId} was cancelled here and its answer has not come. */
    public boolean stillCancelling(long callId) {
        return calls.cancelling(callId);
    }

    /** How often this child moved in place to another bundle set. */
    public int moves() {
        return moves;
    }

    /** Calls sent to this child so far (answered or not). */
    public long callsStarted() {
        return callsSent;
    }

    /** How long since the last call was sent or answered. */
    public long idleMillis() {
        return (System.nanoTime() - lastActivityNanos) / 1_000_000;
    }

    /** How long since the child's JVM started. */
    public Duration uptime() {
        return Duration.between(started, Instant.now());
    }

    /** What the child reported when it became ready (its start phases), once it is ready. */
    public String readyReport() {
        return ready.getNow(null);
    }

    /** Whether the child has neither said it is ready nor ended: its JVM boots (whatever its state says). */
    public boolean booting() {
        return !ready.isDone();
    }

    /** Whether the child takes new calls: starting or ready, not moving, retiring or dead. */
    public boolean accepts() {
        State s = state;
        return s == State.STARTING || s == State.READY;
    }

    /** Whether the child has run (or is running) a call, or was started for one; else it is a standby child. */
    public boolean used() {
        Role r = role;
        return r == Role.SHARED || r == Role.SINGLE_USE;
    }

    /** Whether this child serves one call only (a fresh call) and then exits. */
    public boolean singleUse() {
        return role == Role.SINGLE_USE;
    }

    /** Whether this is the training child, which serves no caller. */
    public boolean training() {
        return role == Role.TRAINING;
    }

    /** True while the child moves to another bundle set. */
    public boolean updating() {
        return state == State.MOVING;
    }

    /** True while the child moves to the bundle set and options of {@code key}. */
    public boolean movingTo(String key) {
        Move m = move;
        return m != null && key.equals(m.key());
    }

    /** In the loop: a standby child is taken for calls; a fresh call's ({@code singleUse}) is its only one. */
    public void claim(boolean singleUse) {
        if (role == Role.STANDBY) {
            role = singleUse ? Role.SINGLE_USE : Role.SHARED;
        }
    }

    /** A move to the snapshot and options of {@code key}; {@code number} counts the moves asked of the child. */
    private record Move(String hash, String key, int number) {
    }

    /**
     * In the loop: moves this standby child to another snapshot in place; false if it cannot start moving (it is
     * not a standby child that takes calls). A child still starting moves once it is ready (the request waits in
     * its channel). When the child answers, it is READY on the new snapshot or, if it could not move, RETIRING;
     * either way the listener learns it may have room. Returns the move's number, for {@link #abandonMove}; 0 if
     * it did not start moving.
     */
    public int moveTo(Path snapshotFile, String newHash, String newKey) {
        if (role != Role.STANDBY || !accepts()) {
            return 0;
        }
        Move m = new Move(newHash, newKey, movesAsked.incrementAndGet());
        move = m;
        state = State.MOVING;
        channel.post(Frame.text(-1, Frame.UPDATE, snapshotFile.toString()));
        flushLater();
        return m.number();
    }

    /** In the loop: move {@code number}, if it has not ended by now, retires the child. */
    public void abandonMove(int number, String why) {
        Move m = move;
        if (state == State.MOVING && m != null && m.number() == number) {
            moveEnded("error:" + why);
        }
    }

    /** In the loop: the child's answer to its move. */
    private void moveEnded(String reply) {
        Move m = move;
        if (state != State.MOVING || m == null) {
            return; // abandoned before its answer came
        }
        if (reply.equals("ok:" + m.hash())) {
            move = null;
            snapshotHash = m.hash();
            key = m.key();
            moves++;
            state = State.READY;
            log.info("Standby child {} moved in place to snapshot {} (move {})", pid(), m.hash().substring(0, 12),
                    moves);
        } else {
            log.warn("Child {} could not move to snapshot {}: {}", pid(), m.hash().substring(0, 12), reply);
            retire();
        }
        context.listener().roomChanged(this);
    }

    /** Sends a numbered set of the parent's configurations; it waits in memory until the child is ready. */
    public void configure(byte[] set) {
        try {
            channel.write(new Frame(0, Frame.CONFIGURE, Payload.of(set)));
        } catch (IOException childDied) { // its reader handles that
        }
    }

    /**
     * In the loop: if no frame began to be written to this child for {@code quietMillis}, a heartbeat is, on a
     * worker (see {@link Heartbeat}). Nothing for a child that does not read its channel yet or any more: one
     * still booting starts watching for heartbeats when it is ready, and a closed or dead one has no parent to
     * watch.
     */
    public void heartbeatIfQuietFor(long quietMillis) {
        if (state != State.DEAD && channel.postHeartbeatIfQuiet(quietMillis * 1_000_000)) {
            flushLater();
        }
    }

    /**
     * In the loop: takes a call into flight and queues its frame, without writing it (see {@link #flush}).
     * Returns false (queuing nothing) if the child takes no calls.
     */
    public boolean post(PendingCall call, Payload payload) {
        if (!accepts()) {
            return false;
        }
        claim(false);
        calls.sent(call);
        callsSent++;
        lastActivityNanos = System.nanoTime();
        channel.post(new Frame(call.id, Frame.CALL, payload));
        return true;
    }

    /**
     * Writes the frames queued for this child, in order. Blocks while its pipe is full or another thread writes
     * to it: never call it in the loop (see {@link #flushLater}).
     */
    public void flush() {
        try {
            channel.flush();
        } catch (IOException e) {
            // The child died; the reader fails its calls with the child's exit status.
        }
    }

    /** From the loop: the frames queued for this child are written on a worker. */
    public void flushLater() {
        try {
            context.workers().execute(this::flush);
        } catch (RejectedExecutionException stopping) {
            // the pool is closing its children: their channels end
        }
    }

    /** In the loop: forgets a call without telling the child (it is about to be killed). */
    public boolean abandon(long callId) {
        boolean had = calls.abandon(callId);
        retireIfDone();
        return had;
    }

    /** A single-use child whose call is over (answered, cancelled, abandoned) goes; a retiring one too. */
    private void retireIfDone() {
        if (role == Role.SINGLE_USE && callsSent > 0 && calls.noneAwaited()) {
            retire();
        } else {
            retireIfIdle();
        }
    }

    /**
     * In the loop: tells the child to interrupt a call; its late answer is expected and dropped. Until it comes
     * the call counts as in flight here (see {@link #stillCancelling}). Returns whether this cancel took the call
     * out of flight (false: not in flight). The CANCEL frame follows the call's own frame on the channel; the
     * caller writes it ({@link #flush}) or has it written ({@link #flushLater}).
     */
    public boolean cancel(long callId) {
        if (!calls.cancel(callId)) {
            return false;
        }
        channel.post(Frame.of(callId, Frame.CANCEL));
        retireIfDone();
        return true;
    }

    /** From any thread: the child threw {@code error} (out of memory, say): its state is unknown, it retires. */
    public void retireAfter(String error) {
        log.warn("Child {} threw {}: it takes no new calls and exits once its calls in flight end", pid(), error);
        inLoop(this::retire);
    }

    /** In the loop: takes no new calls; exits once the calls in flight are answered. */
    public void retire() {
        endAsked = true;
        stopTakingCalls();
        retireIfIdle();
    }

    private void stopTakingCalls() {
        move = null;
        if (state != State.DEAD) {
            state = State.RETIRING;
        }
    }

    /**
     * In the loop: retires the child and kills it once the calls of other callers in flight on it end (at once if
     * none is): for a child whose cancelled call runs on, which closing the channel might not end.
     */
    public void retireThenKill(String reason) {
        killWhenIdle = reason;
        retire();
    }

    private void retireIfIdle() {
        if (state != State.RETIRING || !calls.noneAwaited()) {
            return;
        }
        if (killWhenIdle != null) {
            kill(killWhenIdle);
            return;
        }
        try {
            // Closing may wait for a write in progress to this child: never in the loop.
            context.workers().execute(this::closeChannel);
        } catch (RejectedExecutionException stopping) {
            closeChannel(); // the pool is closing: nothing else waits for the loop
        }
    }

    /** Ends the channel: the child stops its framework and exits. */
    private void closeChannel() {
        try {
            channel.close();
        } catch (IOException e) {
            Process p = process;
            if (p != null) {
                p.destroy();
            }
        }
    }

    /** Runs {@code hook} once the process has exited; its argument says whether it exited with status 0. */
    public void onExit(java.util.function.Consumer<Boolean> hook) {
        exit.onExit(hook);
    }

    /** Runs {@code action} once the child reported it is ready (not at all if it never is). */
    public void whenReady(Runnable action) {
        ready.thenAccept(report -> {
            if (report != null) {
                action.run();
            }
        });
    }

    /** Waits until the process exited and its exit was handled; false if that took longer than {@code millis}. */
    public boolean awaitExit(long millis) throws InterruptedException {
        return exit.await(millis);
    }

    /** In the loop: kills the child at once; its calls fail. */
    public void kill() {
        endAsked = true;
        stopTakingCalls(); // no call may be sent to it between now and the reader seeing it gone
        killRequested = true;
        Process p = process != null ? process : startedProcess; // the latter: its starter may still be at work
        if (p != null) {
            p.destroyForcibly();
        }
    }

    /**
     * The starter's word that the process exists (before its boot exchange, for a remote child): its stderr is
     * read from now on, so that what ssh or the host says while the child boots is logged and explains a failed
     * start, and a process that writes much then never blocks on a full pipe.
     */
    private void started(Process p) {
        try {
            readStderr(p);
        } catch (RuntimeException | Error e) { // no thread to read it (out of native threads, say): it must go
            p.destroyForcibly();
            throw new IllegalStateException("its stderr could not be read: " + e, e);
        }
        startedProcess = p;
        if (killRequested) { // after startedProcess was set: a kill either saw it or is seen here
            p.destroyForcibly();
        }
    }

    /** Reads {@code p}'s stderr, on a thread of its own, to the log and {@link #stderr}'s tail, to its end. */
    private void readStderr(Process p) {
        ChildStderr.Sink sink = context.relay().forChild(p.pid());
        ChildStderr reader = new ChildStderr(p.getErrorStream(), role == Role.TRAINING ? sink.infoAsDebug() : sink,
                System::nanoTime);
        stderr = reader;
        stderrOf = p;
        Daemons.thread("trampoline-child-" + p.pid() + "-err", reader).start();
    }

    /**
     * The last lines of the stderr of a process that failed to become this child, as a failure's message ends
     * (empty if none was read): waited for (at most 10 s: a process it started may hold the stream open), as its
     * last words may be read a little after its end.
     */
    private String stderrTailAfterFailure() {
        ChildStderr reader = stderr;
        if (reader == null) {
            return "";
        }
        try {
            reader.awaitEnd(10_000); // its process ended: what is left is read at once (3 MB took over 1 s, loaded)
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String tail = reader.tail();
        return tail.isEmpty() ? "" : "; its last output on stderr:\n" + tail;
    }

    /** In the loop: kills the child; its calls fail with {@code reason} in their message. */
    public void kill(String reason) {
        channelError = reason;
        kill();
    }

    /** Runs {@code event} in the loop that owns this child. */
    private void inLoop(Runnable event) {
        context.loop().execute(event);
    }

    private void becameReady() {
        if (state == State.STARTING) {
            state = State.READY;
        }
        context.listener().roomChanged(this);
    }

    private void callEnded() {
        served++;
        lastActivityNanos = System.nanoTime();
        retireIfDone();
        context.listener().roomChanged(this);
    }

    private void forgottenCallEnded(long callId) {
        lastActivityNanos = System.nanoTime();
        calls.forgottenEnded(callId);
        retireIfDone();
        context.listener().roomChanged(this);
    }

    /** What the reader of the child's stdout reads, for this child (see {@link ChildReader}). */
    private final class FromChild implements ChildReader.Child {
        private final long pid;

        FromChild(long pid) {
            this.pid = pid;
        }

        @Override
        public void ready(String report) throws IOException {
            inLoop(ChildProcess.this::becameReady);
            channel.open(); // writes what waited: in the reader's thread, never in the loop
            ready.complete(report);
        }

        @Override
        public int movesAsked() {
            return movesAsked.get();
        }

        @Override
        public void moved(String reply) {
            inLoop(() -> moveEnded(reply));
        }

        @Override
        public boolean answered(Frame answer) {
            PendingCall call = calls.takeAnswered(answer.callId());
            if (call != null) {
                long readNanos = 0;
                if (timer != null) {
                    readNanos = System.nanoTime();
                    timer.warm(); // before the caller is told: the call it may send at once is warm
                }
                context.listener().answered(ChildProcess.this, call, answer);
                if (timer != null) { // after the caller was told: it waits for nothing of this
                    timer.answered(answer.callId(), readNanos);
                }
                inLoop(ChildProcess.this::callEnded);
                return true;
            }
            if (timer != null) {
                timer.forgotten(answer.callId());
            }
            if (calls.forgottenAnswered(answer.callId())) {
                inLoop(() -> forgottenCallEnded(answer.callId()));
                return true;
            }
            return false;
        }

        @Override
        public void channelEnded(String broken) {
            if (broken != null) {
                channelError = broken;
            }
            inLoop(ChildProcess.this::stopTakingCalls); // at once: waiting for its exit status takes a while
        }

        @Override
        public void exited(Integer status, String stderrTail) {
            String error = channelError;
            String why = (error == null ? "" : "; " + error)
                    + (stderrTail.isEmpty() ? "" : "; its last output on stderr:\n" + stderrTail);
            Path folder = storage;
            inLoop(() -> ended(status, "Child JVM (pid " + pid + ") " + (status == null ? "died"
                    : "exited with status " + status), why, folder));
        }
    }

    /**
     * In the loop: the child is gone (its JVM exited with {@code status}, null if unknown or never started): its
     * calls fail, saying {@code what} happened, how many calls it ran, and {@code why}; unless it retired and ran
     * none. Its private folder is deleted and its exit hooks run, on a worker.
     */
    private void ended(Integer status, String what, String why, Path folder) {
        if (state == State.DEAD) {
            return;
        }
        boolean expected = endAsked && calls.noneAwaited() && process != null;
        state = State.DEAD;
        move = null;
        List<PendingCall> orphans = calls.orphans();
        ready.complete(null);
        boolean clean = status != null && status == 0;
        Runnable afterExit = () -> {
            if (folder != null) {
                ChildCommand.deleteStorage(folder);
            }
            exit.fire(clean); // awaitExit returns once the hooks (adopting a class-data archive, say) have run
        };
        try {
            context.workers().execute(afterExit);
        } catch (RejectedExecutionException stopping) {
            afterExit.run();
        }
        if (!expected || !orphans.isEmpty()) {
            // A child whose process never started ran nothing: its calls only waited for it.
            String calls = orphans.isEmpty() || process == null ? "" : " while running " + orphans.size() + " call(s)";
            context.listener().died(this, orphans, new ChildFailedException(what + calls + why, pid(), status));
        } else {
            context.listener().died(this, orphans, null);
        }
    }

    @Override
    public String toString() {
        return "child " + pid() + " (" + state + ", " + role + ", snapshot " + snapshotHash.substring(0, 12) + ")";
    }
}
