package dev.trampoline.runtime.remote.internal.process;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.service.log.Logger;

import dev.trampoline.runtime.remote.ChildFailedException;
import dev.trampoline.runtime.remote.internal.call.PendingCall;
import dev.trampoline.runtime.remote.internal.thread.Daemons;
import dev.trampoline.runtime.remote.internal.wire.Frame;
import dev.trampoline.runtime.remote.internal.wire.Payload;
import dev.trampoline.runtime.remote.internal.wire.ReadLimit;

/**
 * One child JVM as the parent sees it: the process, its channel (stdin/stdout, framed), its calls in flight,
 * and the last lines it wrote to stderr (which also go to the parent's log, prefixed with its pid).
 */
public final class ChildProcess {

    /** What a child's answers and death mean to its owner. */
    public interface Listener {
        /** {@code child} answered {@code call} (a result or a failure) with {@code frame}. */
        void answered(ChildProcess child, PendingCall call, Frame frame);

        /** {@code child} is gone; {@code orphans} were in flight, {@code cause} says why (null: a clean exit). */
        void died(ChildProcess child, List<PendingCall> orphans, ChildFailedException cause);

        /** {@code child} answered a call that was cancelled: it no longer runs there, its place is free. */
        default void cancelledCallEnded(ChildProcess child) {
        }
    }

    /** Where a child is in its life: booting, serving calls, taking no new ones, gone. */
    public enum State { STARTING, READY, RETIRING, DEAD }

    /** Text a child may print to stdout before its first frame (a profiler's banner, {@code --show-version}). */
    private static final int MAX_PREAMBLE = 64 * 1024;

    /** Set once its JVM started ({@link #launch}); null before. */
    private volatile Process process;
    /** Set by {@link #kill} before the JVM started: it is killed as soon as it starts. Guarded by this. */
    private boolean killRequested;
    /** Completes with the pid once the JVM started, before anything of it is read. */
    private final CompletableFuture<Long> launched = new CompletableFuture<>();
    /** What the child's frames may make this JVM allocate. */
    private final ReadLimit limit;
    /** Calls cancelled or abandoned, which the child may still answer. */
    private final ForgottenCalls forgotten = new ForgottenCalls(4096);
    private volatile String snapshotHash;
    private volatile String key;
    private volatile boolean singleUse;
    private volatile Path storage;
    private final Listener listener;
    private final Logger log;
    /** Where the child's log lines go: each as an entry of the parent's bundle of the same name. */
    private final ChildLogRelay relay;
    private final ChildChannel channel;
    private final Map<Long, PendingCall> pending = new ConcurrentHashMap<>();
    /**
     * Calls cancelled here whose answer has not come: their code may still run (one that ignores its interrupt
     * does), so they count as in flight until it comes.
     */
    private final Set<Long> cancelling = ConcurrentHashMap.newKeySet();
    /** Set when the child is to be killed rather than closed once its calls in flight end; why. */
    private volatile String killWhenIdle;
    private volatile ChildStderr stderr;
    private final AtomicLong served = new AtomicLong();
    private final AtomicLong callsSent = new AtomicLong();
    private final AtomicInteger moves = new AtomicInteger();
    private volatile long lastActivityNanos = System.nanoTime();
    private final Instant started = Instant.now();
    private final CompletableFuture<String> ready = new CompletableFuture<>();
    private volatile State state = State.STARTING;
    /** Set by the first call: a child that ran a call is never moved to another snapshot. */
    private volatile boolean used;
    /** The last move to another snapshot; in progress until {@code done} completes. Written once per move. */
    private volatile Move move;
    private final ExitSignal exit = new ExitSignal();
    private volatile String channelError;

    private ChildProcess(String snapshotHash, String key, boolean singleUse, Listener listener, ReadLimit limit,
            Logger log, ChildLogRelay relay) {
        this.relay = relay;
        this.limit = limit;
        this.snapshotHash = snapshotHash;
        this.key = key;
        this.singleUse = singleUse;
        this.listener = listener;
        this.log = log;
        this.channel = new ChildChannel();
    }

    /**
     * A child whose JVM is not started yet: it takes calls at once (their frames wait, as for any child that is
     * not ready), and {@link #launch} starts its JVM later, under no lock; or {@link #launchFailed} ends it.
     */
    public static ChildProcess prepare(String snapshotHash, String key, boolean singleUse, Listener listener,
            ReadLimit limit, Logger log, ChildLogRelay relay) {
        return new ChildProcess(snapshotHash, key, singleUse, listener, limit, log, relay);
    }

    /** Starts {@code command}'s child with {@code starter}, or makes it of {@code spare} if that can be it. */
    public static ChildProcess start(ChildStarter starter, ChildCommand command, SpareJvm spare, String snapshotHash,
            String key, boolean singleUse, Listener listener, ReadLimit limit, Logger log, ChildLogRelay relay)
            throws IOException {
        ChildProcess child = prepare(snapshotHash, key, singleUse, listener, limit, log, relay);
        child.launch(starter, command, spare);
        return child;
    }

    /**
     * Starts this child's JVM from {@code command} with {@code starter}, or makes it of {@code spare} if that can be
     * it. It may be slow (a spare that cannot be the child is killed and waited for): call it under no lock another
     * caller needs.
     */
    public void launch(ChildStarter starter, ChildCommand command, SpareJvm spare) throws IOException {
        Process p = starter.start(command, spare);
        boolean killed;
        synchronized (this) {
            process = p;
            storage = command.storage();
            killed = killRequested;
        }
        channel.attach(p.getOutputStream());
        stderr = new ChildStderr(p.getErrorStream(), p.pid(), relay);
        launched.complete(p.pid()); // before its output is read: whoever waits for the pid learns it first
        Daemons.thread("trampoline-child-" + pid() + "-err", stderr).start();
        Daemons.thread("trampoline-child-" + pid() + "-out", this::readAnswers).start();
        if (killed) {
            p.destroyForcibly();
        }
    }

    /** Ends a child whose JVM could not be started: its calls fail, saying why. */
    public void launchFailed(Exception e) {
        log.warn("Could not start a child JVM: {}", e.toString());
        ended(null, "Cannot start a child for the call: " + e.getMessage(), "");
    }

    /** Runs {@code action} with the child's pid once its JVM started (at once if it has), before any answer. */
    public void whenLaunched(java.util.function.LongConsumer action) {
        launched.thenAccept(action::accept);
    }

    /** The child JVM's process id. */
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

    /** Whether this child serves one call only (a fresh call) and then exits. */
    public boolean singleUse() {
        return singleUse;
    }

    /** Where the child is in its life. */
    public State state() {
        return state;
    }

    /** Calls the child answered. */
    public long callsServed() {
        return served.get();
    }

    /** Calls sent to the child and not answered yet, cancelled ones included (see {@link #cancelling}). */
    public int callsInFlight() {
        return pending.size() + cancelling.size();
    }

    /** Calls cancelled here that still run (their answer has not come). */
    public int cancellingCalls() {
        return cancelling.size();
    }

    /** Whether call {@code callId} was cancelled here and its answer has not come. */
    public boolean stillCancelling(long callId) {
        return cancelling.contains(callId);
    }

    /** How often this child moved in place to another bundle set. */
    public int moves() {
        return moves.get();
    }

    /** Calls sent to this child so far (answered or not). */
    public long callsStarted() {
        return callsSent.get();
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

    /** Whether the child takes new calls (starting or ready, not retiring). */
    public boolean accepts() {
        return state == State.STARTING || state == State.READY;
    }

    /** Whether the child has run (or is running) a call; a child that has not is a standby child. */
    public boolean used() {
        return used;
    }

    private volatile boolean training;

    /** A training child boots, runs the pool's warm-up calls and exits to write the class-data-sharing archive. */
    public void markTraining() {
        training = true;
    }

    /** Whether this is the training child, which serves no caller. */
    public boolean training() {
        return training;
    }

    /** Marks the child as taken for calls: it is no longer a standby child, and will never be moved. */
    public void claim() {
        used = true;
    }

    /** Makes a standby child serve one call only (a fresh call), then exit. */
    public void markSingleUse() {
        singleUse = true;
    }

    /** True while the child moves to another snapshot (until its new snapshot and key are set). */
    public boolean updating() {
        Move m = move;
        return m != null && !m.done().isDone();
    }

    /**
     * A move to the snapshot and options of {@code key}: {@code answer} is the child's reply, {@code done}
     * completes once the new snapshot and key are set (true) or the move failed (false).
     */
    private record Move(String key, CompletableFuture<String> answer, CompletableFuture<Boolean> done) {
    }

    /**
     * Moves this never-used child to another snapshot in place. Completes with true once it runs the new set;
     * with false if it cannot (it was used meanwhile, or the move failed: the caller retires it then).
     */
    public CompletableFuture<Boolean> moveTo(Path snapshotFile, String newHash, String newKey) {
        CompletableFuture<Boolean> moved = postMove(snapshotFile, newHash, newKey);
        flush(); // outside this child's lock: a dispatcher may be waiting for it
        return moved;
    }

    private synchronized CompletableFuture<Boolean> postMove(Path snapshotFile, String newHash, String newKey) {
        if (used || !accepts() || updating()) {
            return CompletableFuture.completedFuture(false);
        }
        CompletableFuture<String> answer = new CompletableFuture<>();
        CompletableFuture<Boolean> moved = answer.thenApply(reply -> {
            if (reply.equals("ok:" + newHash)) {
                snapshotHash = newHash;
                key = newKey;
                moves.incrementAndGet();
                return true;
            }
            log.warn("Child {} could not move to snapshot {}: {}", pid(), newHash.substring(0, 12), reply);
            return false;
        });
        move = new Move(newKey, answer, moved); // updating from here on, until the new snapshot and key are set
        // Written by moveTo once this lock is released; a child that dies first fails the move at its exit.
        channel.post(Frame.text(-1, Frame.UPDATE, snapshotFile.toString()));
        return moved;
    }

    /** True while the child moves to the bundle set and options of {@code key}. */
    public boolean movingTo(String key) {
        return updating() && key.equals(move.key()); // no new move starts while one is in progress
    }

    /** Sends a numbered set of the parent's configurations; it waits in memory until the child is ready. */
    public void configure(byte[] set) {
        try {
            channel.write(new Frame(0, Frame.CONFIGURE, Payload.of(set)));
        } catch (IOException childDied) { // its reader handles that
        }
    }

    /** Sends a call: {@link #post}, then {@link #flush}. Returns false (sending nothing) if it takes no calls. */
    public boolean send(PendingCall call, Payload payload) {
        if (!post(call, payload)) {
            return false;
        }
        flush();
        return true;
    }

    /**
     * Takes a call into flight and queues its frame, without writing it (see {@link #flush}): cheap, so a
     * dispatcher may do it under its lock. Returns false (queuing nothing) if the child no longer takes calls.
     */
    public synchronized boolean post(PendingCall call, Payload payload) {
        if (!accepts() || updating()) {
            return false;
        }
        used = true;
        pending.put(call.id, call);
        callsSent.incrementAndGet();
        lastActivityNanos = System.nanoTime();
        channel.post(new Frame(call.id, Frame.CALL, payload));
        return true;
    }

    /**
     * Writes the frames queued for this child, in order. Blocks while its pipe is full or another thread writes
     * to it: call it under no lock another caller needs.
     */
    public void flush() {
        try {
            channel.flush();
        } catch (IOException e) {
            // The child died; the reader fails its calls with the child's exit status.
        }
    }

    /** Forgets a call without telling the child (it is about to be killed). */
    public boolean abandon(long callId) {
        boolean had;
        synchronized (this) {
            had = forget(callId);
        }
        retireIfDone();
        return had;
    }

    /**
     * Takes a call out of flight, remembering that the child may still answer it. Remembered first: the reader
     * must never see the call neither in flight nor forgotten.
     */
    private boolean forget(long callId) {
        boolean added = forgotten.add(callId);
        if (pending.remove(callId) != null) {
            return true;
        }
        if (added) {
            // It was not in flight after all: take it back, unless an earlier cancel forgot it (a call cancelled
            // while it was handed over is cancelled twice), whose answer is still expected.
            forgotten.answered(callId);
        }
        return false;
    }

    /** A single-use child whose call is over (answered, cancelled, abandoned) goes; a retiring one too. */
    private void retireIfDone() {
        if (singleUse && pending.isEmpty() && used) {
            retire();
        } else {
            retireIfIdle();
        }
    }

    /**
     * Tells the child to interrupt a call; its late answer is expected and dropped. Until it comes the call counts
     * as in flight here (see {@link #stillCancelling}). Returns whether this cancel took the call out of flight
     * (false: not in flight, or cancelled already).
     */
    public boolean cancel(long callId) {
        boolean inFlight;
        synchronized (this) {
            // Under the child's lock, as post is: two cancels of one call (the caller's and the dispatcher
            // writer's) must not interleave in forget, which would lose the forgotten id and make the late
            // answer a protocol break; and the CANCEL frame queues after the call's own frame.
            boolean added = cancelling.add(callId); // before it leaves pending: its answer may come at once
            inFlight = forget(callId);
            if (!inFlight) {
                if (added) {
                    cancelling.remove(callId); // not in flight; or cancelled before, and still so
                }
            } else {
                channel.post(Frame.of(callId, Frame.CANCEL));
            }
        }
        if (inFlight) {
            flush();
            retireIfDone();
        }
        return inFlight;
    }

    /** {@link #retire()}s a child that threw {@code error} (out of memory, say): its state is unknown. */
    public void retireAfter(String error) {
        log.warn("Child {} threw {}: it takes no new calls and exits once its calls in flight end", pid(), error);
        retire();
    }

    /** Takes no new calls; exits once the calls in flight are answered. */
    public void retire() {
        markRetiring();
        retireIfIdle();
    }

    private synchronized void markRetiring() {
        if (state != State.DEAD) {
            state = State.RETIRING;
        }
    }

    /**
     * Retires the child and kills it once the calls of other callers in flight on it end (at once if none is):
     * for a child whose cancelled call runs on, which closing the channel might not end.
     */
    public void retireThenKill(String reason) {
        killWhenIdle = reason;
        retire();
    }

    private void retireIfIdle() {
        if (state == State.RETIRING && pending.isEmpty()) {
            String reason = killWhenIdle;
            if (reason != null) {
                kill(reason);
                return;
            }
            try {
                channel.close(); // the child stops its framework and exits
            } catch (IOException e) {
                Process p = process;
                if (p != null) {
                    p.destroy();
                }
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

    /** Kills the child at once; its calls fail. */
    public void kill() {
        markRetiring(); // no call may be sent to it between now and the reader seeing it gone
        Process p;
        synchronized (this) {
            killRequested = true;
            p = process;
        }
        if (p != null) {
            p.destroyForcibly();
        }
    }

    /** Kills the child; its calls fail with {@code reason} in their message. */
    public void kill(String reason) {
        channelError = reason;
        kill();
    }

    /**
     * Reads the child's frames until its channel ends. The child runs plugin code, so what it sends is checked,
     * not trusted: a frame over the limit, of a kind a child does not send, or answering no call breaks the
     * protocol, and anything thrown here (a frame that cannot be allocated, say) is this child's death, never
     * the end of this thread with the child left running and its calls unanswered.
     */
    private void readAnswers() {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(process.getInputStream(), 64 * 1024))) {
            Frame f = Frame.readFirstFrom(in, MAX_PREAMBLE, stderr::addText); // logged like stderr
            for (; f != null; f = Frame.readFrom(in, limit)) {
                accept(f);
            }
        } catch (IOException e) {
            // the child died mid-frame, or wrote something else than frames: handled below like any death
            channelError = e.getMessage();
            process.destroyForcibly();
        } catch (Throwable t) { // an OutOfMemoryError, a listener's failure: this child ends, the executor stays
            channelError = "the parent could not handle what the child sent: " + t;
            process.destroyForcibly();
        }
        onExit();
    }

    /** Handles one frame from the child; a frame the protocol does not allow there is an IOException. */
    private void accept(Frame f) throws IOException {
        switch (f.kind()) {
            case Frame.READY -> {
                if (ready.isDone()) {
                    throw new IOException("corrupt channel: the child said it was ready twice");
                }
                synchronized (this) {
                    if (state == State.STARTING) {
                        state = State.READY;
                    }
                }
                channel.open(); // after the state: no lock is held while the other is taken
                ready.complete(f.payload().utf8());
            }
            case Frame.UPDATED -> {
                Move m = move;
                if (m == null || !m.answer().complete(f.payload().utf8())) {
                    throw new IOException("corrupt channel: the child answered a move to another bundle set that"
                            + " was not asked of it");
                }
            }
            case Frame.RESULT, Frame.FAILURE -> {
                PendingCall call = pending.remove(f.callId());
                lastActivityNanos = System.nanoTime();
                if (call != null) {
                    served.incrementAndGet();
                    listener.answered(this, call, f);
                } else if (!forgotten.answered(f.callId())) {
                    throw new IOException("corrupt channel: the child answered call " + f.callId()
                            + ", which is not in flight there (never sent, or answered already)");
                } else if (cancelling.remove(f.callId())) {
                    listener.cancelledCallEnded(this);
                }
                retireIfDone(); // an answer comes only for a call sent: the child is used
            }
            default -> throw new IOException("corrupt channel: the child sent a frame of kind " + f.kind()
                    + ", which a child does not send");
        }
    }

    private void onExit() {
        Integer status = null;
        try {
            if (process.waitFor(2, TimeUnit.SECONDS)) {
                status = process.exitValue();
            } else {
                process.destroyForcibly();
            }
            stderr.awaitEnd(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String tail = stderr.tail();
        ended(status, "Child JVM (pid " + pid() + ") " + (status == null ? "died" : "exited with status " + status),
                (channelError == null ? "" : "; " + channelError)
                        + (tail.isEmpty() ? "" : "; its last output on stderr:\n" + tail));
    }

    /**
     * The child is gone (its JVM exited with {@code status}, null if unknown or never started): its calls fail,
     * saying {@code what} happened, how many calls it ran, and {@code why}; unless it retired and ran none.
     */
    private void ended(Integer status, String what, String why) {
        boolean expected;
        synchronized (this) {
            expected = state == State.RETIRING && pending.isEmpty() && process != null;
            state = State.DEAD;
        }
        List<PendingCall> orphans = new ArrayList<>(pending.values());
        pending.clear();
        cancelling.clear();
        ready.complete(null);
        Move m = move;
        if (m != null) {
            m.answer().complete("error:the child exited");
        }
        Path folder = storage;
        if (folder != null) {
            ChildCommand.deleteStorage(folder);
        }
        // awaitExit returns once the hook (adopting a class-data archive, say) has run
        exit.fire(status != null && status == 0);
        if (!expected || !orphans.isEmpty()) {
            String calls = orphans.isEmpty() ? "" : " while running " + orphans.size() + " call(s)";
            listener.died(this, orphans, new ChildFailedException(what + calls + why, pid(), status));
        } else {
            listener.died(this, orphans, null);
        }
    }

    @Override
    public String toString() {
        return "child " + pid() + " (" + state + ", snapshot " + snapshotHash.substring(0, 12) + ")";
    }
}
