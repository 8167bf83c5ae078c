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
        // Listening began while entry 3 was being recorded: it is in the history and also delivered live;
        // 5 and 4 arrive live (the listener's thread may deliver after the history was taken) before it is written.
        ordered.live(entry(3));
        ordered.live(entry(5));
        ordered.live(entry(4));
        ordered.history(Collections.enumeration(List.of(entry(3), entry(2), entry(1)))); // newest first
        ordered.live(entry(6));
        ordered.live(entry(5)); // delivered again: not written twice
        ordered.live(entry(7));
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L), written);
    }

    @Test
    void nothingLiveIsWrittenBeforeTheHistory() {
        ordered.live(entry(10));
        assertEquals(List.of(), written);
        ordered.history(Collections.emptyEnumeration());
        assertEquals(List.of(10L), written);
    }
}
