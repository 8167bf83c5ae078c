package dev.trampoline.runtime.remote.internal.process;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A child's standard error (and what it printed to stdout before its first frame): each line goes to the
 * parent's log at its own level, prefixed with the child's pid (an entry as that of the bundle that logged it in
 * the child: {@link ChildLogRelay}), and the last lines are kept to explain a death
 * ("exited with status 42; its last output on stderr: ...").
 *
 * <p>A child runs plugin code and may write without end, so what it writes costs the parent a bounded amount:
 * a line is cut at {@value #MAX_LINE} bytes (saying how much was cut), the log takes at most
 * {@value #LOG_BYTES_PER_SECOND} bytes a second from one child after a burst of {@value #LOG_BURST_BYTES} (what
 * is left out is counted and summarised in the log, at most once a second and when the stream ends), and the
 * kept tail is {@value #KEPT_LINES} cut lines. The stream is read on whatever it writes, so a child never
 * blocks on a full pipe.
 */
final class ChildStderr implements Runnable {

    /** Where the lines go: the level (ERROR, WARN, INFO, DEBUG, TRACE) and the text. */
    interface Sink {
        void line(String level, String text);

        /** A line that continues the last entry (a stack trace's frames and causes). */
        default void continued(String level, String text) {
            line(level, text);
        }

        /**
         * This sink with INFO lines at DEBUG: for the training child, whose plain output is the JVM's report on
         * the archive it writes at exit, and which serves no call a user would look for in the log.
         */
        default Sink infoAsDebug() {
            Sink to = this;
            return new Sink() {
                @Override
                public void line(String level, String text) {
                    to.line("INFO".equals(level) ? "DEBUG" : level, text);
                }

                @Override
                public void continued(String level, String text) {
                    to.continued("INFO".equals(level) ? "DEBUG" : level, text);
                }
            };
        }
    }

    static final int KEPT_LINES = 30;
    static final int MAX_LINE = 8 * 1024;
    static final int LOG_BYTES_PER_SECOND = 64 * 1024;
    static final int LOG_BURST_BYTES = 256 * 1024;
    /** What a log entry costs besides its text (time stamp, level, prefix): a flood of empty lines is one too. */
    private static final int ENTRY_OVERHEAD = 64;
    private static final long SECOND = 1_000_000_000L;

    /**
     * A log entry as a child's runtime writes it to its stderr (time, level, the rest): logged here at its own
     * level, so that an ERROR in a child is an ERROR in the parent, and the child's time stamp is not repeated.
     */
    static final Pattern LOG_ENTRY = Pattern.compile(
            "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} (ERROR|WARN|INFO|DEBUG|TRACE) +(.*)");
    /** The lines that continue an entry: a stack trace's frames and causes. */
    private static final Pattern CONTINUED = Pattern.compile("\\s|Caused by: |\\.\\.\\. \\d+ more");
    /** A stack trace's first line, right after its entry: the throwable's class name and message. */
    private static final Pattern THROWABLE = Pattern.compile("([\\p{L}_$][\\p{L}\\p{N}_$]*\\.)+[\\p{L}_$][\\p{L}\\p{N}_$]*"
            + "(: .*)?");

    private final InputStream stderr;
    private final Sink sink;
    private final LongSupplier nanoTime;
    private final Deque<String> tail = new ArrayDeque<>();
    /** Counted down once the stream ended: every line the child wrote is in the tail. */
    private final java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);
    /** The level of the last line logged. Lines come from one thread at a time (see {@link #addText}). */
    private String lastLevel = "INFO";
    /** Whether the last line logged was an entry or continued one (a stack trace may follow). */
    private boolean inEntry;
    private long tokens = LOG_BURST_BYTES;
    private long refilledAt;
    private long skippedLines;
    private long skippedBytes;
    private long summarisedAt;

    ChildStderr(InputStream stderr, Sink sink, LongSupplier nanoTime) {
        this.stderr = stderr;
        this.sink = sink;
        this.nanoTime = nanoTime;
        this.refilledAt = nanoTime.getAsLong();
        this.summarisedAt = refilledAt;
    }

    @Override
    public void run() {
        try (InputStream in = stderr) {
            BoundedLines lines = new BoundedLines(in, MAX_LINE);
            String line;
            while ((line = lines.next()) != null) {
                add(line);
            }
        } catch (IOException e) {
            // the process is gone
        } finally {
            synchronized (this) {
                summarise();
            }
            ended.countDown();
        }
    }

    /**
     * Waits up to {@code millis} for the stream to end, so that the tail holds the child's last words: its stderr
     * may be read a little after its stdout ended. Bounded, as a process the child started may hold it open.
     */
    boolean awaitEnd(long millis) throws InterruptedException {
        return ended.await(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /**
     * Logs lines the child wrote elsewhere (to stdout, before its first frame) as if it wrote them here. Called
     * before the stream's own lines can matter: the first frame comes before any call.
     */
    void addText(String text) {
        for (String line : text.split("\\R")) {
            add(line.length() > MAX_LINE ? BoundedLines.cut(line.substring(0, MAX_LINE), line.length() - MAX_LINE)
                    : line);
        }
    }

    /** Keeps a line in the tail and logs it, if the log's allowance for this child permits. */
    private synchronized void add(String line) {
        synchronized (tail) {
            tail.addLast(line);
            if (tail.size() > KEPT_LINES) {
                tail.removeFirst();
            }
        }
        Matcher entry = LOG_ENTRY.matcher(line);
        String level;
        String text;
        boolean continued = false;
        if (entry.matches()) {
            level = entry.group(1);
            text = entry.group(2);
        } else if (CONTINUED.matcher(line).lookingAt() || inEntry && THROWABLE.matcher(line).matches()) {
            level = lastLevel; // a stack trace's next line goes with its entry
            text = line;
            continued = true;
        } else {
            level = "INFO"; // plain output: a plugin's System.out, a JVM message
            text = line;
        }
        lastLevel = level;
        inEntry = entry.matches() || continued;
        long now = nanoTime.getAsLong();
        refill(now);
        long cost = line.length() + ENTRY_OVERHEAD;
        if (tokens >= cost) {
            tokens -= cost;
            if (skippedLines > 0 && now - summarisedAt >= SECOND) {
                summarise();
            }
            if (continued) {
                sink.continued(level, text);
            } else {
                sink.line(level, text);
            }
        } else {
            skippedLines++;
            skippedBytes += line.length() + 1;
            if (now - summarisedAt >= SECOND) {
                summarise();
            }
        }
    }

    private void refill(long now) {
        long elapsed = now - refilledAt;
        if (elapsed > 0) {
            tokens = Math.min(LOG_BURST_BYTES, tokens + elapsed * LOG_BYTES_PER_SECOND / SECOND);
            refilledAt = now;
        }
    }

    /** Says in the log how much was left out since the last summary. */
    private void summarise() {
        if (skippedLines > 0) {
            sink.line("WARN", skippedLines + " line(s) (" + skippedBytes + " bytes) of its output were not logged:"
                    + " it wrote more than the log takes from a child (" + LOG_BYTES_PER_SECOND + " bytes a second)");
            skippedLines = 0;
            skippedBytes = 0;
        }
        summarisedAt = nanoTime.getAsLong();
    }

    /** The last lines, oldest first. */
    String tail() {
        synchronized (tail) {
            return String.join("\n", tail);
        }
    }
}
