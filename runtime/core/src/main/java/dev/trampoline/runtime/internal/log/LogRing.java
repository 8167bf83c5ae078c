package dev.trampoline.runtime.internal.log;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The most recent formatted log entries, for {@code log:display} and {@code log:tail}: at most
 * {@code maxEntries} entries and {@code maxCharacters} characters (the oldest go first), so memory stays
 * bounded whatever is logged. Each entry gets a sequence number, so a follower asks for what came after the
 * last it saw and waits when there is nothing yet.
 */
final class LogRing {

    private final int maxEntries;
    private final long maxCharacters;
    private final ArrayDeque<String> entries = new ArrayDeque<>();
    private long characters;
    /** The sequence number of the newest entry (0: none yet); the oldest held is {@code last - size + 1}. */
    private long last;
    private boolean closed;

    LogRing(int maxEntries, long maxCharacters) {
        this.maxEntries = maxEntries;
        this.maxCharacters = maxCharacters;
    }

    synchronized void add(String entry) {
        entries.addLast(entry);
        characters += entry.length();
        last++;
        while (entries.size() > 1 && (entries.size() > maxEntries || characters > maxCharacters)) {
            characters -= entries.removeFirst().length();
        }
        notifyAll();
    }

    /** The newest {@code n} entries, oldest first. */
    synchronized List<String> last(int n) {
        List<String> all = new ArrayList<>(entries);
        return all.subList(Math.max(0, all.size() - Math.max(0, n)), all.size());
    }

    /** The sequence number of the newest entry, to follow from. */
    synchronized long position() {
        return last;
    }

    /** The newest {@code n} entries and the position to follow on from, taken together so none is missed. */
    synchronized Batch tail(int n) {
        return new Batch(last(n), last);
    }

    /**
     * The entries after {@code position} (those still held: a follower too slow misses the oldest), waiting
     * until there is one.
     *
     * @return the entries, or {@code null} once the ring is closed (the log sink stopped)
     * @throws InterruptedException when the waiting thread is interrupted (Ctrl-C in the shell)
     */
    synchronized Batch after(long position) throws InterruptedException {
        while (last <= position && !closed) {
            wait();
        }
        if (closed) {
            return null;
        }
        long oldest = last - entries.size() + 1;
        List<String> all = new ArrayList<>(entries);
        return new Batch(all.subList((int) Math.max(0, position + 1 - oldest), all.size()), last);
    }

    /** Ends every wait in {@link #after}: followers stop when the sink does. */
    synchronized void close() {
        closed = true;
        notifyAll();
    }

    /** Entries, and the sequence number of the newest of them to follow on from. */
    record Batch(List<String> entries, long position) {
    }
}
