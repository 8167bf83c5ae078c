package dev.trampoline.runtime.internal.log;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Log text waiting for the console, at most {@code capacity} characters of it. The console may be slower than
 * the log (a terminal scrolled back, a pipe nobody reads): what does not fit is counted, not kept, and a notice
 * saying how much the console missed takes its place, so that neither the log nor memory waits for the console.
 */
final class ConsoleBacklog {

    private final long capacity;
    private final Deque<String> texts = new ArrayDeque<>();
    private long characters;
    private long dropped;
    private boolean closed;

    ConsoleBacklog(long capacity) {
        this.capacity = capacity;
    }

    /** Queues {@code text}, or counts it as missed if the backlog is full. Never waits. */
    synchronized void offer(String text) {
        if (closed) {
            return;
        }
        if (characters + text.length() > capacity) {
            dropped++;
            return;
        }
        if (dropped > 0) {
            add(missedNotice());
        }
        add(text);
    }

    private String missedNotice() {
        String notice = "[" + dropped + " log entries were not shown here: the console could not keep up."
                + " The log file has them.]" + System.lineSeparator();
        dropped = 0;
        return notice;
    }

    private void add(String text) {
        texts.addLast(text);
        characters += text.length();
        notifyAll();
    }

    /** The next text, oldest first, waiting for one; null once closed and empty. */
    synchronized String take() throws InterruptedException {
        while (texts.isEmpty() && dropped == 0 && !closed) {
            wait();
        }
        String text = texts.pollFirst();
        if (text != null) {
            characters -= text.length();
            notifyAll();
            return text;
        }
        // Entries went missing after the last one the console got, and none has come since: say so now.
        return dropped > 0 ? missedNotice() : null;
    }

    /** Takes no more text; {@link #take} hands out what is queued, then null. */
    synchronized void close() {
        closed = true;
        notifyAll();
    }
}
