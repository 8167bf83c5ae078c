package dev.trampoline.runtime.remote.internal.process;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

import dev.trampoline.runtime.remote.internal.wire.Frame;

/**
 * The parent's end of a child's stdin. Until the child says it is ready, frames wait here in memory: the child
 * reads its channel only once its bundles run, and a caller must not block on a full pipe meanwhile (it may
 * hold the dispatcher). At {@link #open()} they are written in order, then every frame goes straight through.
 */
final class ChildChannel {

    private final DataOutputStream out;
    private final List<Frame> waiting = new ArrayList<>();
    private boolean open;

    ChildChannel(OutputStream stdin) {
        this.out = new DataOutputStream(new BufferedOutputStream(stdin, 64 * 1024));
    }

    synchronized void write(Frame frame) throws IOException {
        if (!open) {
            waiting.add(frame);
            return;
        }
        frame.writeTo(out);
    }

    /** The child is reading: writes what waited, in order. */
    synchronized void open() throws IOException {
        open = true;
        for (Frame f : waiting) {
            f.writeTo(out);
        }
        waiting.clear();
    }

    /** Ends the channel: the child stops its framework and exits. */
    void close() throws IOException {
        out.close();
    }
}
