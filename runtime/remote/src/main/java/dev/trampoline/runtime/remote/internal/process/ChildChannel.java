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

    private final DataOutputStream out;
    /** Frames posted and not written yet. Guarded by itself, as is {@link #open}. */
    private final ArrayDeque<Frame> outbox = new ArrayDeque<>();
    private boolean open;
    /** Held while frames are written: one writer at a time, in the order of the outbox. */
    private final Object writing = new Object();

    ChildChannel(OutputStream stdin) {
        this.out = new DataOutputStream(new BufferedOutputStream(stdin, 64 * 1024));
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
                synchronized (outbox) {
                    next = open ? outbox.poll() : null;
                }
                if (next == null) {
                    return;
                }
                next.writeTo(out);
            }
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
        out.close();
    }
}
