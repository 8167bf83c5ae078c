package dev.trampoline.runtime.remote.internal.snapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import dev.trampoline.runtime.contract.internal.SnapshotFile;
import dev.trampoline.runtime.contract.internal.StoreLayout;

/**
 * Keeps the content store from growing without bound: every revision of every bundle ever installed, and
 * every bundle set, would otherwise stay on disk for good. It keeps the {@link #KEEP_SNAPSHOTS} snapshot
 * files used most recently, the jars they name and the jars of the revisions installed now, and removes the
 * rest along with temporary files a crash left behind. Nothing written or used within {@link #GRACE} is
 * removed: it may belong to a snapshot being made at this moment, or to a child booting from it.
 */
final class StoreCollector {

    static final int KEEP_SNAPSHOTS = 8;
    static final Duration GRACE = Duration.ofMinutes(10);

    /** What one collection removed: the hashes of the snapshots, the number of jars, and the bytes. */
    record Result(Set<String> removedSnapshots, int jars, long bytes) {
        int snapshots() {
            return removedSnapshots.size();
        }
    }

    private StoreCollector() {
    }

    /**
     * @param store     the content store ({@code <sha256>.jar} files, and {@code snapshots/})
     * @param installed the SHA-256 of every revision installed now
     * @param kept      hashes of snapshots kept whatever their age (the current one)
     */
    static Result collect(ContentStore store, Set<String> installed, Set<String> kept, Instant now)
            throws IOException {
        FileTime cutoff = FileTime.from(now.minus(GRACE));
        Set<String> needed = new HashSet<>(installed);
        Set<String> removed = new HashSet<>();
        long bytes = 0;
        Path snapshotDir = StoreLayout.snapshots(store.root());
        Map<Path, FileTime> files = new HashMap<>(); // read once: a sort must not see times change
        if (Files.isDirectory(snapshotDir)) {
            for (Path f : list(snapshotDir, StoreLayout.SNAPSHOT_SUFFIX)) {
                files.put(f, modified(f));
            }
        }
        List<Path> byRecency = new ArrayList<>(files.keySet());
        byRecency.sort(Comparator.comparing(files::get, Comparator.reverseOrder()));
        for (int i = 0; i < byRecency.size(); i++) {
            Path f = byRecency.get(i);
            String hash = StoreLayout.snapshotHash(f);
            if (i < KEEP_SNAPSHOTS || files.get(f).compareTo(cutoff) > 0 || kept.contains(hash)) {
                needed.addAll(jarsOf(f));
            } else {
                bytes += sizeOf(f);
                if (Files.deleteIfExists(f)) {
                    removed.add(hash);
                }
            }
        }
        int jars = 0;
        for (Path jar : list(store.root(), StoreLayout.JAR_SUFFIX)) {
            String sha = StoreLayout.jarHash(jar);
            if (!needed.contains(sha) && modified(jar).compareTo(cutoff) < 0) {
                bytes += sizeOf(jar);
                if (Files.deleteIfExists(jar)) {
                    jars++;
                }
            }
        }
        for (Path dir : List.of(store.root(), snapshotDir)) {
            if (Files.isDirectory(dir)) {
                for (Path tmp : list(dir, StoreLayout.TEMPORARY_SUFFIX)) { // a put or a snapshot write that died half way
                    if (modified(tmp).compareTo(cutoff) < 0) {
                        Files.deleteIfExists(tmp);
                    }
                }
            }
        }
        return new Result(Set.copyOf(removed), jars, bytes);
    }

    /** The jars a snapshot file names. */
    private static Set<String> jarsOf(Path snapshotFile) {
        SnapshotFile snapshot;
        try {
            snapshot = SnapshotFile.read(snapshotFile);
        } catch (IOException e) {
            return Set.of(); // unreadable: it cannot start a child either
        }
        Set<String> shas = new HashSet<>();
        for (SnapshotFile.Entry e : snapshot.bundles()) {
            shas.add(e.sha256());
        }
        return shas;
    }

    private static List<Path> list(Path dir, String suffix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return new ArrayList<>(s.filter(p -> p.getFileName().toString().endsWith(suffix)
                    && Files.isRegularFile(p)).toList());
        }
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.from(Instant.now()); // gone or unreadable now: treat as new, never remove
        }
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }
}
