package dev.trampoline.runtime.remote.internal.process;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;

import dev.trampoline.runtime.remote.internal.wire.Frame;

/**
 * The parent's end of a child's stdin. Frames are posted in order (cheap, never blocking on the pipe) and written
 * by {@link #flush}, in the order they were posted, by whichever thread flushes; only threads writing to this
 * child wait for each other, so a large payload holds up no other child. Until the child says it is ready, frames
 * wait here in memory: the child reads its channel only once its bundles run. At {@link #open()} they are
 * written, then every flush writes at once.
 */
final class ChildChannel {

    /** Frames posted and not written yet. Guarded by itself, as are the fields below. */
    private final ArrayDeque<Frame> outbox = new ArrayDeque<>();
    /** The child's stdin, once its JVM started. */
    private DataOutputStream out;
    private boolean open;
    /** Set by {@link #close}: a stdin attached later is closed at once. */
    private boolean closed;
    /** Held while frames are written: one writer at a time, in the order of the outbox. */
    private final Object writing = new Object();
    /** When the writing of the last frame began ({@link System#nanoTime}); guarded by the outbox. */
    private long lastWrittenNanos;
    /** Whether a frame was ever written; guarded by the outbox. */
    private boolean written;

    /** Told when each call's frame begins to be written; null for a child whose calls are not timed. */
    private final CallTimer timer;

    /** A channel whose child's JVM has not started yet (see {@link #attach}). */
    ChildChannel() {
        this((CallTimer) null);
    }

    /** As {@link #ChildChannel()}, telling {@code timer} (null: none) when each call's frame is written. */
    ChildChannel(CallTimer timer) {
        this.timer = timer;
    }

    /** A channel to a child whose JVM runs, reading {@code stdin}. */
    ChildChannel(OutputStream stdin) {
        this((CallTimer) null);
        attach(stdin);
    }

    /** The child's JVM started: frames go to its {@code stdin} (once it is open). */
    void attach(OutputStream stdin) {
        DataOutputStream attached = new DataOutputStream(new BufferedOutputStream(stdin, 64 * 1024));
        boolean closeNow;
        synchronized (outbox) {
            out = attached;
            closeNow = closed;
        }
        if (closeNow) { // retired before its JVM ran: it stops as soon as it reads its channel
            try {
                attached.close();
            } catch (IOException gone) {
                // it died already: its reader sees that
            }
        }
    }

    /** Queues {@code frame} behind the frames posted before it; {@link #flush} writes it. */
    void post(Frame frame) {
        synchronized (outbox) {
            outbox.add(frame);
        }
    }

    /**
     * Writes the frames posted so far, in order, unless the child is not reading yet. Blocks while the pipe is
     * full and while another thread writes to this child (that thread may write this one's frames too).
     */
    void flush() throws IOException {
        synchronized (writing) {
            while (true) {
                Frame next;
                DataOutputStream stdin;
                long startedNanos = 0;
                synchronized (outbox) {
                    stdin = out;
                    next = open && stdin != null ? outbox.poll() : null;
                    if (next != null) {
                        startedNanos = System.nanoTime();
                        lastWrittenNanos = startedNanos;
                        written = true;
                    }
                }
                if (next == null) {
                    return;
                }
                if (timer != null && next.kind() == Frame.CALL) {
                    timer.written(next.callId(), startedNanos);
                }
                next.writeTo(stdin);
            }
        }
    }

    /**
     * Posts a heartbeat if the child reads its channel (it is open and not closed), nothing waits to be written,
     * and no frame began to be written for {@code quietNanos}: any frame is a sign of the parent, and a frame
     * still waiting is one soon, so heartbeats never pile up behind a frame the pipe is slow to take (at most one
     * waits behind a payload written for longer than that). Returns whether it posted one ({@link #flush} writes
     * it).
     */
    boolean postHeartbeatIfQuiet(long quietNanos) {
        synchronized (outbox) {
            if (!open || closed || out == null || !outbox.isEmpty()
                    || (written && System.nanoTime() - lastWrittenNanos < quietNanos)) {
                return false;
            }
            outbox.add(Frame.of(0, Frame.HEARTBEAT));
            return true;
        }
    }

    /** Posts {@code frame} and flushes. */
    void write(Frame frame) throws IOException {
        post(frame);
        flush();
    }

    /** The child is reading: writes what waited, in order. */
    void open() throws IOException {
        synchronized (outbox) {
            open = true;
        }
        flush();
    }

    /** Ends the channel: the child stops its framework and exits. */
    void close() throws IOException {
        DataOutputStream stdin;
        synchronized (outbox) {
            closed = true;
            stdin = out;
        }
        if (stdin != null) {
            stdin.close();
        }
    }
}
