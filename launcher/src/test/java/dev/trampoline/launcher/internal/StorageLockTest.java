package dev.trampoline.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.trampoline.launcher.StorageInUseException;

/** The claim on a storage folder, on real files; the cross-process case is in the integration tests. */
class StorageLockTest {

    @TempDir
    Path folder;

    private final long pid = ProcessHandle.current().pid();

    @Test
    void holderWritesItsPidAndASecondClaimIsRefusedNamingFolderAndPid() throws Exception {
        try (StorageLock held = StorageLock.acquire(folder)) {
            assertEquals(pid + "\n", Files.readString(folder.resolve(StorageLock.FILE_NAME)));

            StorageInUseException e = assertThrows(StorageInUseException.class, () -> StorageLock.acquire(folder));

            assertEquals(pid, e.holderPid());
            assertTrue(e.getMessage().contains(folder.toString()) && e.getMessage().contains("pid " + pid),
                    e.getMessage());
            assertEquals(pid + "\n", Files.readString(folder.resolve(StorageLock.FILE_NAME)),
                    "the refused claim leaves the holder's file alone");
        }
    }

    @Test
    void releasedFolderCanBeClaimedAgain() throws Exception {
        StorageLock.acquire(folder).close();

        StorageLock.acquire(folder).close();
    }

    @Test
    void lockFileLeftByADeadRuntimeDoesNotBlock() throws Exception {
        Files.writeString(folder.resolve(StorageLock.FILE_NAME), "999999999\n"); // no lock on it: its holder died

        try (StorageLock held = StorageLock.acquire(folder)) {
            assertEquals(pid + "\n", Files.readString(folder.resolve(StorageLock.FILE_NAME)));
        }
    }
}
