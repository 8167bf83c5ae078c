package dev.trampoline.runtime.remote.internal.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.trampoline.runtime.contract.internal.StoreLayout;

class CaptureIndexTest {

    private static final String SHA_A = "a".repeat(64);
    private static final String SHA_B = "b".repeat(64);

    @TempDir
    Path store;

    @Test
    void aRecordedCaptureIsKnownAfterTheIndexIsReadAgain() throws IOException {
        CaptureIndex.in(store).record(13, "file:/deploy/my plugin.jar", 1_000, SHA_A);

        CaptureIndex again = CaptureIndex.in(store);

        assertEquals(SHA_A, again.known(13, "file:/deploy/my plugin.jar", 1_000));
    }

    @Test
    void anotherLastModifiedOrLocationOrBundleIsNotKnown() throws IOException {
        CaptureIndex.in(store).record(13, "file:/a.jar", 1_000, SHA_A);
        CaptureIndex index = CaptureIndex.in(store);

        assertNull(index.known(13, "file:/a.jar", 1_001), "updated since: captured again");
        assertNull(index.known(13, "file:/b.jar", 1_000), "another bundle with the same id (a cleaned cache)");
        assertNull(index.known(14, "file:/a.jar", 1_000));
    }

    @Test
    void aForgottenOrNoLongerInstalledBundleIsGoneFromTheFile() throws IOException {
        CaptureIndex index = CaptureIndex.in(store);
        index.record(13, "file:/a.jar", 1, SHA_A);
        index.record(14, "file:/b.jar", 2, SHA_B);
        index.record(15, "file:/c.jar", 3, SHA_B);

        index.forget(13);
        index.retain(Set.of(14L));

        CaptureIndex again = CaptureIndex.in(store);
        assertEquals(Set.of(14L), again.entries().keySet());
    }

    @Test
    void damagedLinesCostACaptureAndNothingElse() throws IOException {
        Files.writeString(StoreLayout.captureIndex(store), "13 1000 " + SHA_A + " file:/a.jar\n"
                + "garbage\n14 x " + SHA_B + " file:/b.jar\n15 3 short file:/c.jar\n16 4 " + SHA_B + "\n"
                + "17 5 " + "z/".repeat(32) + " file:/d.jar\n");

        CaptureIndex index = CaptureIndex.in(store);

        assertEquals(Set.of(13L), index.entries().keySet());
        assertEquals(SHA_A, index.known(13, "file:/a.jar", 1000));
    }

    @Test
    void aLocationOnSeveralLinesIsNotRecorded() throws IOException {
        CaptureIndex index = CaptureIndex.in(store);

        index.record(13, "file:/a\n14 1 " + SHA_B + " file:/b.jar", 1, SHA_A);

        assertTrue(CaptureIndex.in(store).entries().isEmpty());
    }

    @Test
    void noIndexYetMeansNothingKnown() {
        assertTrue(CaptureIndex.in(store).entries().isEmpty());
        assertNull(CaptureIndex.in(store.resolve("missing")).known(1, "x", 1));
    }
}
