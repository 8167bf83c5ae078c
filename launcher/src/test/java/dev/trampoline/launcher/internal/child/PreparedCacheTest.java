package dev.trampoline.launcher.internal.child;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreparedCacheTest {

    @TempDir
    Path dir;

    private Path prepare(String hash) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("store").resolve("prepared").resolve(hash));
        Path revision = Files.createDirectories(folder.resolve("bundle1").resolve("version0.0"));
        Files.writeString(folder.resolve("bundle1").resolve("bundle.info"), "info");
        Files.writeString(revision.resolve("bundle.jar"), "jar bytes");
        return folder;
    }

    @Test
    void backgroundRestoreCopiesTheWholeCacheAndLinksTheJars() throws Exception {
        Path folder = prepare("abc");
        Path cache = dir.resolve("child").resolve("cache");

        PreparedCache.Restore restore = new PreparedCache(dir.resolve("store"), "abc").restoreInBackground(cache);

        assertTrue(restore.await());
        assertEquals("info", Files.readString(cache.resolve("bundle1").resolve("bundle.info")));
        Path jar = cache.resolve("bundle1").resolve("version0.0").resolve("bundle.jar");
        assertEquals("jar bytes", Files.readString(jar));
        assertTrue(Files.isSameFile(jar, folder.resolve("bundle1").resolve("version0.0").resolve("bundle.jar")),
                "the jar is linked, not copied");
        assertTrue(restore.await(), "asking again gives the same answer");
    }

    @Test
    void noPreparedCacheMeansNothingToRestore() {
        assertNull(new PreparedCache(dir.resolve("store"), "missing").restoreInBackground(dir.resolve("cache")));
    }

    @Test
    void aCopyThatFailsSaysSoInsteadOfThrowing() throws Exception {
        prepare("abc");
        Path notAFolder = Files.writeString(dir.resolve("file"), "in the way");

        PreparedCache.Restore restore = new PreparedCache(dir.resolve("store"), "abc")
                .restoreInBackground(notAFolder.resolve("cache"));

        assertFalse(restore.await(), "the child installs from the store instead");
    }

    @Test
    void waitingForTheCopyOutlastsAnInterruptAndKeepsIt() throws Exception {
        prepare("abc");
        Thread.currentThread().interrupt();
        try {
            PreparedCache.Restore restore = new PreparedCache(dir.resolve("store"), "abc")
                    .restoreInBackground(dir.resolve("cache"));

            assertTrue(restore.await(), "the copy finished before await returned");
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for the caller");
        } finally {
            Thread.interrupted();
        }
    }
}
