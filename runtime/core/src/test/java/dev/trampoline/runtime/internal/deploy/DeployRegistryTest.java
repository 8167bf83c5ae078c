package dev.trampoline.runtime.internal.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import dev.trampoline.runtime.deploy.DeployedArtifact.Kind;

/** The record each deployed jar leaves for the next start. */
class DeployRegistryTest {

    private final Path jar = Path.of("/deploy/a.jar");

    @Test
    void recordKeepsStampContentAndOwedStart() {
        TrackedFile t = new TrackedFile(jar, Kind.BUNDLE);
        t.handledStamp = new FileStamp(10, 1_000);
        t.sha256 = "abc";
        t.startPending = true;

        TrackedFile back = restored(DeployRegistry.format(t));

        assertEquals(new FileStamp(10, 1_000), back.handledStamp);
        assertEquals("abc", back.sha256);
        assertTrue(back.startPending);
    }

    @Test
    void contentNotKnownToBeAppliedComesBackUnknownSoTheJarIsTakenAgain() {
        TrackedFile t = new TrackedFile(jar, Kind.BUNDLE); // as written just before an update
        t.startPending = true;

        TrackedFile back = restored(DeployRegistry.format(t));

        assertNull(back.handledStamp);
        assertNull(back.sha256);
        assertTrue(back.startPending, "an owed start survives an unknown content");
    }

    @Test
    void malformedRecordLeavesTheJarToBeRechecked() {
        TrackedFile back = restored("garbage");

        assertNull(back.handledStamp);
        assertNull(back.sha256);
        assertFalse(back.startPending);
    }

    private TrackedFile restored(String record) {
        TrackedFile t = new TrackedFile(jar, Kind.BUNDLE);
        DeployRegistry.restore(t, record);
        return t;
    }
}
