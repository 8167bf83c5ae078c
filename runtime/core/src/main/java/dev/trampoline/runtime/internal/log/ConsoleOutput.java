package dev.trampoline.runtime.internal.log;

import java.io.PrintStream;
import java.lang.ref.WeakReference;
import java.lang.reflect.Method;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.CommandSessionListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Writes log lines to the console without garbling an interactive shell's prompt. While a Gogo shell with a
 * line reader is running, lines are printed above the prompt through JLine's {@code printAbove}; otherwise
 * to standard error. The line reader is learnt from the first command the shell runs (its profile), as a
 * session listener; it is reached by reflection so the core bundle does not depend on JLine.
 *
 * <p>Lines are written by a thread of their own from a bounded backlog ({@value #BACKLOG_CHARACTERS}
 * characters): a console that does not keep up (a flooding child, a terminal nobody reads) loses lines, said
 * with a notice, instead of holding up the log or filling the heap.
 */
@Component(service = {ConsoleOutput.class, CommandSessionListener.class})
public final class ConsoleOutput implements CommandSessionListener {

    /** The session variable in which Gogo's JLine shell keeps its line reader. */
    private static final String READER_VARIABLE = ".reader";

    static final long BACKLOG_CHARACTERS = 256 * 1024;

    private volatile WeakReference<Object> reader = new WeakReference<>(null);
    private volatile Method printAbove;
    private PrintStream stderr;
    private final ConsoleBacklog backlog = new ConsoleBacklog(BACKLOG_CHARACTERS);
    private Thread writer;

    @Activate
    void activate() {
        stderr = System.err;
        writer = new Thread(this::writeBacklog, "trampoline-console");
        writer.setDaemon(true);
        writer.start();
    }

    /** Writes what is queued, then ends; waits a little for a console that is slow at the end of a run. */
    @Deactivate
    void deactivate() throws InterruptedException {
        backlog.close();
        writer.join(5_000);
    }

    private void writeBacklog() {
        try {
            String text;
            while ((text = backlog.take()) != null) {
                write(text);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void beforeExecute(CommandSession session, CharSequence command) {
        Object r = session.get(READER_VARIABLE);
        if (r != null && r != reader.get()) {
            try {
                printAbove = r.getClass().getMethod("printAbove", String.class);
                reader = new WeakReference<>(r);
            } catch (NoSuchMethodException e) {
                // not a JLine reader: keep writing to standard error
            }
        }
    }

    @Override
    public void afterExecute(CommandSession session, CharSequence command, Exception exception) {
    }

    @Override
    public void afterExecute(CommandSession session, CharSequence command, Object result) {
    }

    private final java.util.concurrent.atomic.AtomicInteger followers = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * Whether {@code session} is the shell at this console (the one whose prompt log lines are printed
     * above): there {@code log:tail} already shows every entry, so the console leaves them to it.
     */
    boolean isThisConsole(CommandSession session) {
        Object r = session.get(READER_VARIABLE);
        return r != null && r == reader.get();
    }

    /** A {@code log:tail} at this console starts ({@code +1}) or ends ({@code -1}). */
    void following(int delta) {
        followers.addAndGet(delta);
    }

    /** Whether a {@code log:tail} at this console prints the entries already. */
    boolean followedHere() {
        return followers.get() > 0;
    }

    /** Prints {@code text} (one or more lines, ending with a line separator) soon, or counts it as missed. */
    void print(String text) {
        backlog.offer(text);
    }

    private void write(String text) {
        Object r = reader.get();
        Method m = printAbove;
        if (r != null && m != null) {
            try {
                m.invoke(r, text.endsWith(System.lineSeparator())
                        ? text.substring(0, text.length() - System.lineSeparator().length()) : text);
                return;
            } catch (ReflectiveOperationException | RuntimeException e) {
                reader = new WeakReference<>(null); // the shell is gone; fall back to standard error
            }
        }
        stderr.print(text);
        stderr.flush();
    }
}
