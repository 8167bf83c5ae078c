package dev.trampoline.runtime.internal.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides when a new or changed file is complete enough to deploy: its size and modification time must
 * have stayed the same for a quiet period (or its modification time be older than that period). Whether
 * its content is readable is for the caller to check; this class only watches stamps.
 */
final class SettleTracker {

    private record Observation(FileStamp stamp, long firstSeenMillis) {
    }

    private final long quietMillis;
    private final Map<Path, Observation> pending = new HashMap<>();

    SettleTracker(long quietMillis) {
        this.quietMillis = quietMillis;
    }

    /** Records that {@code file} has {@code stamp} now; a changed stamp restarts its quiet period. */
    void observe(Path file, FileStamp stamp, long nowMillis) {
        Observation seen = pending.get(file);
        if (seen == null || !seen.stamp().equals(stamp)) {
            pending.put(file, new Observation(stamp, nowMillis));
        }
    }

    /** Forgets files that are no longer on disk or no longer need watching. */
    void retainOnly(Set<Path> files) {
        pending.keySet().retainAll(files);
    }

    void forget(Path file) {
        pending.remove(file);
    }

    /** How long the file's current stamp has been seen unchanged, or -1 when it is not pending. */
    long unchangedForMillis(Path file, long nowMillis) {
        Observation seen = pending.get(file);
        return seen == null ? -1 : nowMillis - seen.firstSeenMillis();
    }

    /** The pending files that have been quiet long enough. */
    List<Path> settled(long nowMillis) {
        List<Path> ready = new ArrayList<>();
        pending.forEach((file, seen) -> {
            boolean quietSinceSeen = nowMillis - seen.firstSeenMillis() >= quietMillis;
            boolean writtenLongAgo = nowMillis - seen.stamp().modifiedMillis() >= quietMillis;
            if (quietSinceSeen || writtenLongAgo) {
                ready.add(file);
            }
        });
        return ready;
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }
}
