package dev.trampoline.runtime.internal.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.osgi.service.log.LogEntry;

/** The sink's entries: history first, then live ones, each once and in the Log Service's order. */
class HistoryThenLiveTest {

    private final List<Long> written = new ArrayList<>();
    private final HistoryThenLive ordered = new HistoryThenLive(e -> written.add(e.getSequence()));

    private static LogEntry entry(long sequence) {
        return new TestEntry("l", sequence);
    }

    @Test
    void entriesArrivingWhileTheHistoryIsReadFollowItOnceEachInOrder() {
        // Listening began before 2 and 3 were recorded: they are in the history and are delivered live too,
        // before the history is written; 4 came after the history was read.
        ordered.live(entry(2));
        ordered.live(entry(3));
        ordered.live(entry(4));
        ordered.history(Collections.enumeration(List.of(entry(3), entry(2), entry(1)))); // newest first
        ordered.live(entry(5));
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), written);
    }

    @Test
    void anEntryOfTheHistoryDeliveredAfterItIsNotWrittenAgain() {
        ordered.history(Collections.enumeration(List.of(entry(2), entry(1))));
        ordered.live(entry(2)); // recorded before the history was read, delivered to the listener after
        ordered.live(entry(3));
        assertEquals(List.of(1L, 2L, 3L), written);
    }

    @Test
    void entriesRecordedInAnotherOrderThanNumberedAreAllWrittenInTheirRecordedOrder() {
        ordered.history(Collections.enumeration(List.of(entry(6), entry(7)))); // 7 recorded before 6
        ordered.live(entry(9));
        ordered.live(entry(8));
        assertEquals(List.of(7L, 6L, 9L, 8L), written);
    }

    @Test
    void nothingLiveIsWrittenBeforeTheHistory() {
        ordered.live(entry(10));
        assertEquals(List.of(), written);
        ordered.history(Collections.emptyEnumeration());
        assertEquals(List.of(10L), written);
    }
}
