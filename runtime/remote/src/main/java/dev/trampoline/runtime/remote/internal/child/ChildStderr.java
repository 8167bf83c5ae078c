package dev.trampoline.runtime.remote.internal.child;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

import org.osgi.service.log.Logger;

/**
 * A child's standard error (and what it printed to stdout before its first frame): every line goes to the parent's log, prefixed with the child's pid, and the last
 * lines are kept to explain a death ("exited with status 42; its last output on stderr: ...").
 */
final class ChildStderr implements Runnable {

    private static final int KEPT_LINES = 30;

    private final InputStream stderr;
    private final long pid;
    private final Logger log;
    private final Deque<String> tail = new ArrayDeque<>();

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
        log.info("[child {}] {}", pid, line);
    }

    /** The last lines, oldest first. */
    String tail() {
        synchronized (tail) {
            return String.join("\n", tail);
        }
    }
}
