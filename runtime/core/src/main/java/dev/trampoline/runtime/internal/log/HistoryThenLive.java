package dev.trampoline.runtime.internal.log;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.function.Consumer;

import org.osgi.service.log.LogEntry;

/**
 * Hands the Log Service's entries to {@code out} once each and in order, from its history on: the listener is
 * added first ({@link #live} holds what arrives meanwhile), then the history is handed on ({@link #history}),
 * then the entries held and every later one whose sequence number is above the last handed on. Reading the
 * history first and listening after would lose what comes between; listening and then writing both as they
 * come would interleave them out of order.
 */
final class HistoryThenLive {

    private final Consumer<LogEntry> out;
    /** Entries that arrived before the history was handed on; null after. */
    private List<LogEntry> held = new ArrayList<>();
    private long last = -1;

    HistoryThenLive(Consumer<LogEntry> out) {
        this.out = out;
    }

    /** An entry from the listener. */
    synchronized void live(LogEntry entry) {
        if (held != null) {
            held.add(entry);
        } else {
            pass(entry);
        }
    }

    /** The history as the LogReaderService gives it, newest first; then what {@link #live} held. */
    synchronized void history(Enumeration<LogEntry> newestFirst) {
        List<LogEntry> earlier = Collections.list(newestFirst);
        Collections.reverse(earlier);
        earlier.forEach(this::pass);
        List<LogEntry> meanwhile = held;
        held = null;
        meanwhile.sort(Comparator.comparingLong(LogEntry::getSequence));
        meanwhile.forEach(this::pass);
    }

    private void pass(LogEntry entry) {
        if (entry.getSequence() > last) {
            last = entry.getSequence();
            out.accept(entry);
        }
    }
}
