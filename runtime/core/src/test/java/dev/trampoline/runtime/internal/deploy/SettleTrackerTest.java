package dev.trampoline.runtime.internal.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class SettleTrackerTest {

    private final Path file = Path.of("deploy/a.jar");
    private final SettleTracker tracker = new SettleTracker(100);

    @Test
    void freshlyWrittenFileSettlesOnlyAfterTheQuietPeriod() {
        tracker.observe(file, new FileStamp(10, 1_000), 1_000);
        assertTrue(tracker.settled(1_050).isEmpty());
        assertEquals(List.of(file), tracker.settled(1_100));
    }

    @Test
    void aChangeRestartsTheQuietPeriod() {
        tracker.observe(file, new FileStamp(10, 1_000), 1_000);
        tracker.observe(file, new FileStamp(20, 1_090), 1_090);
        assertTrue(tracker.settled(1_150).isEmpty(), "still growing 60 ms ago");
        assertEquals(List.of(file), tracker.settled(1_190));
    }

    @Test
    void fileWrittenLongBeforeItWasSeenIsReadyAtOnce() {
        tracker.observe(file, new FileStamp(10, 0), 5_000);
        assertEquals(List.of(file), tracker.settled(5_000));
    }

    @Test
    void forgottenFilesAreNoLongerPending() {
        tracker.observe(file, new FileStamp(10, 0), 5_000);
        tracker.retainOnly(Set.of());
        assertTrue(tracker.isEmpty());
        assertEquals(-1, tracker.unchangedForMillis(file, 6_000));
    }
}
