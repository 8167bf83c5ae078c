package dev.trampoline.runtime.remote.internal.child;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osgi.service.log.Logger;

/**
 * A child's standard error (and what it printed to stdout before its first frame): every line goes to the parent's log, prefixed with the child's pid, and the last
 * lines are kept to explain a death ("exited with status 42; its last output on stderr: ...").
 */
final class ChildStderr implements Runnable {

    private static final int KEPT_LINES = 30;
    /**
     * A log entry as a child's runtime writes it to its stderr (time, level, the rest): logged here at its own
     * level, so that an ERROR in a child is an ERROR in the parent, and the child's time stamp is not repeated.
     */
    static final Pattern LOG_ENTRY = Pattern.compile(
            "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} (ERROR|WARN|INFO|DEBUG|TRACE) +(.*)");
    /** The lines that continue an entry: a stack trace's frames and causes. */
    private static final Pattern CONTINUED = Pattern.compile("\\s|Caused by: |\\.\\.\\. \\d+ more");

    private final InputStream stderr;
    private final long pid;
    private final Logger log;
    private final Deque<String> tail = new ArrayDeque<>();
    /** The level of the last line logged (one thread reads the stream; pre-frame text comes before it starts). */
    private volatile String lastLevel = "INFO";

    ChildStderr(InputStream stderr, long pid, Logger log) {
        this.stderr = stderr;
        this.pid = pid;
        this.log = log;
    }

    @Override
    public void run() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(stderr, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                add(line);
            }
        } catch (IOException e) {
            // the process is gone
        }
    }

    /** Logs lines the child wrote elsewhere (to stdout, before its first frame) as if it wrote them here. */
    void addText(String text) {
        for (String line : text.split("\\R")) {
            add(line);
        }
    }

    /** Logs a line the child wrote and keeps it in the tail. */
    private void add(String line) {
        synchronized (tail) {
            tail.addLast(line);
            if (tail.size() > KEPT_LINES) {
                tail.removeFirst();
            }
        }
        Matcher entry = LOG_ENTRY.matcher(line);
        String level;
        String text;
        if (entry.matches()) {
            level = entry.group(1);
            text = entry.group(2);
        } else if (CONTINUED.matcher(line).lookingAt()) {
            level = lastLevel; // a stack trace's next line goes with its entry
            text = line;
        } else {
            level = "INFO"; // plain output: a plugin's System.out, a JVM message
            text = line;
        }
        lastLevel = level;
        switch (level) {
            case "ERROR" -> log.error("[child {}] {}", pid, text);
            case "WARN" -> log.warn("[child {}] {}", pid, text);
            case "DEBUG" -> log.debug("[child {}] {}", pid, text);
            case "TRACE" -> log.trace("[child {}] {}", pid, text);
            default -> log.info("[child {}] {}", pid, text);
        }
    }

    /** The last lines, oldest first. */
    String tail() {
        synchronized (tail) {
            return String.join("\n", tail);
        }
    }
}
