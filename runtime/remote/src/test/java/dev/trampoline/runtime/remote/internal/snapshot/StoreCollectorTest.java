package dev.trampoline.runtime.remote.internal.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.trampoline.runtime.contract.internal.SnapshotFile;

class StoreCollectorTest {

    @TempDir
    Path root;

    private final Instant now = Instant.parse("2026-11-25T12:00:00Z");

    private Path file(Path path, String content, Duration age) throws IOException {
        Files.createDirectories(path.getParent());
        Files.writeString(path, content);
        Files.setLastModifiedTime(path, FileTime.from(now.minus(age)));
        return path;
    }

    private Path jar(String sha, Duration age) throws IOException {
        return file(root.resolve(sha + ".jar"), sha, age);
    }

    /** A snapshot naming {@code shas}, last used {@code age} ago. */
    private Path snapshot(String name, Duration age, String... shas) throws IOException {
        List<SnapshotFile.Entry> bundles = new ArrayList<>();
        for (int i = 0; i < shas.length; i++) {
            bundles.add(new SnapshotFile.Entry("file:/b" + i + ".jar", "b" + i, "1.0.0", shas[i], 1, true, false, i,
                    "start", false, false));
        }
        Path file = root.resolve("snapshots").resolve(name + ".properties");
        new SnapshotFile(name, root, Map.of(), bundles).write(file);
        Files.setLastModifiedTime(file, FileTime.from(now.minus(age)));
        return file;
    }

    /** Snapshots s0 to s9, each naming its own day-old jar j0 to j9; s0 used {@code newest} ago, s9 the longest. */
    private void tenSnapshots(Duration newest) throws IOException {
        for (int i = 0; i < 10; i++) {
            jar("j" + i, Duration.ofDays(1));
            snapshot("s" + i, newest.plusSeconds(i), "j" + i);
        }
    }

    @Test
    void keepsRecentSnapshotsTheirJarsAndInstalledOnesAndRemovesTheRest() throws IOException {
        ContentStore store = new ContentStore(root);
        Duration old = Duration.ofDays(2);
        jar("shared", old);
        jar("installed", old);
        jar("fresh", Duration.ofMinutes(1)); // being put for a snapshot made right now
        for (int i = 0; i < 10; i++) { // s0 is the most recently used
            jar("only" + i, old);
            snapshot("s" + i, Duration.ofHours(1 + i), "only" + i, "shared");
        }
        Path oldTmp = file(root.resolve("x.tmp"), "half", old);
        Path newTmp = file(root.resolve("snapshots").resolve("y.tmp"), "half", Duration.ofSeconds(5));

        StoreCollector.Result r = StoreCollector.collect(store, Set.of("installed"), Set.of(), now);

        assertEquals(Set.of("s8", "s9"), r.removedSnapshots(), "the two least recently used of ten");
        assertEquals(2, r.jars(), "the jars only they named");
        for (int i = 0; i < 8; i++) {
            assertTrue(Files.exists(root.resolve("snapshots/s" + i + ".properties")), "s" + i);
            assertTrue(Files.exists(root.resolve("only" + i + ".jar")), "only" + i);
        }
        assertFalse(Files.exists(root.resolve("snapshots/s9.properties")));
        assertFalse(Files.exists(root.resolve("only9.jar")));
        assertTrue(Files.exists(root.resolve("shared.jar")), "still named by a kept snapshot");
        assertTrue(Files.exists(root.resolve("installed.jar")), "an installed revision, in no snapshot yet");
        assertTrue(Files.exists(root.resolve("fresh.jar")), "within the grace period");
        assertFalse(Files.exists(oldTmp), "left by a crash");
        assertTrue(Files.exists(newTmp), "possibly being written");
    }

    @Test
    void snapshotUsedWithinTheGracePeriodIsKeptBeyondTheCount() throws IOException {
        ContentStore store = new ContentStore(root);
        tenSnapshots(Duration.ofSeconds(10));

        StoreCollector.Result r = StoreCollector.collect(store, Set.of(), Set.of(), now);

        assertEquals(new StoreCollector.Result(Set.of(), 0, 0), r);
    }

    @Test
    void theCurrentSnapshotIsKeptHoweverOldItsFile() throws IOException {
        ContentStore store = new ContentStore(root);
        tenSnapshots(Duration.ofHours(1));

        StoreCollector.Result r = StoreCollector.collect(store, Set.of(), Set.of("s9"), now);

        assertEquals(Set.of("s8"), r.removedSnapshots());
        assertTrue(Files.exists(root.resolve("j9.jar")), "the current snapshot's jars stay too");
    }

    @Test
    void storingAJarAgainMarksItAsUsed() throws IOException {
        ContentStore store = new ContentStore(root);
        byte[] content = "bundle".getBytes(StandardCharsets.UTF_8);
        String sha = store.put(content);
        Files.setLastModifiedTime(store.path(sha), FileTime.from(Instant.now().minus(Duration.ofDays(3))));

        store.put(content);

        assertTrue(Files.getLastModifiedTime(store.path(sha)).toInstant().isAfter(Instant.now().minusSeconds(60)));
    }
}
