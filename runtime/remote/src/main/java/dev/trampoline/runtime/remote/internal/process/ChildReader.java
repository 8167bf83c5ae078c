package dev.trampoline.runtime.remote.internal.process;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

import dev.trampoline.runtime.remote.internal.wire.Frame;
import dev.trampoline.runtime.remote.internal.wire.ReadLimit;

/**
 * Reads one child's stdout, in a thread of its own, until it ends; then waits for the process's exit status and
 * its last stderr lines. The child runs plugin code, so what it sends is checked, not trusted: a frame over the
 * limit, a second ready, the answer to a move not asked for or to no call, or a kind of frame a child does not
 * send breaks the protocol, and the child is killed. Anything thrown while a frame is handled (a frame that cannot
 * be allocated, say) ends the child too, never this thread with the child left running and its calls unanswered.
 * What a frame means is the child's business ({@link Child}).
 */
final class ChildReader implements Runnable {

    /** What the frames mean to the child they come from; called in the reader's thread. */
    interface Child {
        /** The child said it is ready, with its start report. */
        void ready(String report) throws IOException;

        /** How many moves to another bundle set were asked of the child so far. */
        int movesAsked();

        /** The child answered its last move. */
        void moved(String reply);

        /** An answer to a call: false if it answers no call in flight nor one taken back (a protocol break). */
        boolean answered(Frame answer);

        /** The channel ended: cleanly ({@code broken} null), or broken for that reason. */
        void channelEnded(String broken);

        /** The process exited with {@code status} (null: unknown); {@code stderrTail} are its last lines there. */
        void exited(Integer status, String stderrTail);
    }

    /** Text a child may print to stdout before its first frame (a profiler's banner, {@code --show-version}). */
    private static final int MAX_PREAMBLE = 64 * 1024;

    private final Process process;
    private final ChildStderr stderr;
    private final ReadLimit limit;
    private final Child child;
    private boolean readySeen;
    private int movesAnswered;

    ChildReader(Process process, ChildStderr stderr, ReadLimit limit, Child child) {
        this.process = process;
        this.stderr = stderr;
        this.limit = limit;
        this.child = child;
    }

    @Override
    public void run() {
        String broken = null;
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(process.getInputStream(), 64 * 1024))) {
            Frame f = Frame.readFirstFrom(in, MAX_PREAMBLE, stderr::addText); // logged like stderr
            for (; f != null; f = Frame.readFrom(in, limit)) {
                accept(f);
            }
        } catch (IOException e) {
            broken = e.getMessage(); // the child died mid-frame, or wrote something else than frames
            process.destroyForcibly();
        } catch (Throwable t) { // an OutOfMemoryError, a listener's failure: this child ends, the executor stays
            broken = "the parent could not handle what the child sent: " + t;
            process.destroyForcibly();
        }
        child.channelEnded(broken);
        child.exited(awaitStatus(), stderr.tail());
    }

    private void accept(Frame f) throws IOException {
        switch (f.kind()) {
            case Frame.READY -> {
                if (readySeen) {
                    throw new IOException("corrupt channel: the child said it was ready twice");
                }
                readySeen = true;
                child.ready(f.payload().utf8());
            }
            case Frame.UPDATED -> {
                if (++movesAnswered > child.movesAsked()) {
                    throw new IOException("corrupt channel: the child answered a move to another bundle set that"
                            + " was not asked of it");
                }
                child.moved(f.payload().utf8());
            }
            case Frame.RESULT, Frame.FAILURE -> {
                if (!child.answered(f)) {
                    throw new IOException("corrupt channel: the child answered call " + f.callId()
                            + ", which is not in flight there (never sent, or answered already)");
                }
            }
            default -> throw new IOException("corrupt channel: the child sent a frame of kind " + f.kind()
                    + ", which a child does not send");
        }
    }

    /** The exit status once the channel ended (null if it does not come), with its last stderr lines read. */
    private Integer awaitStatus() {
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
        return status;
    }
}
