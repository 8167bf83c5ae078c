package dev.trampoline.runtime.internal.log;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import org.osgi.service.log.LogEntry;

/**
 * Hands the Log Service's entries to {@code out} once each and in the order it recorded them, from its history
 * on: the listener is added first ({@link #live} holds what arrives meanwhile), then the history is handed on
 * ({@link #history}), then the entries held and every later one, less those the history had. Reading the
 * history first and listening after would lose what comes between; listening and then writing both as they come
 * would interleave them out of order.
 *
 * <p>An entry is known by its sequence number. The history's numbers are kept, not only the last: an entry
 * recorded before the history was read may be delivered to the listener after it, and numbers are taken before
 * entries are recorded, so two threads logging at once may be recorded in the other order.
 */
final class HistoryThenLive {

    private final Consumer<LogEntry> out;
    /** Entries that arrived before the history was handed on; null after. */
    private List<LogEntry> held = new ArrayList<>();
    /** The history's entries not delivered live yet (at most the Log Service's history size). */
    private final Set<Long> fromHistory = new HashSet<>();

    HistoryThenLive(Consumer<LogEntry> out) {
        this.out = out;
    }

    /** An entry from the listener. */
    synchronized void live(LogEntry entry) {
        if (held != null) {
            held.add(entry);
        } else if (!fromHistory.remove(entry.getSequence())) {
            out.accept(entry);
        }
    }

    /** The history as the LogReaderService gives it, newest first; then what {@link #live} held. */
    synchronized void history(Enumeration<LogEntry> newestFirst) {
        List<LogEntry> earlier = Collections.list(newestFirst);
        Collections.reverse(earlier);
        for (LogEntry e : earlier) {
            fromHistory.add(e.getSequence());
            out.accept(e);
        }
        List<LogEntry> meanwhile = held;
        held = null;
        meanwhile.forEach(this::live);
    }
}
