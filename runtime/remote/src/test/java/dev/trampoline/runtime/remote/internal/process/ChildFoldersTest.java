package dev.trampoline.runtime.remote.internal.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildFoldersTest {

    static long deadPid;
    @TempDir
    Path tmp;
    final long now = System.currentTimeMillis();

    @BeforeAll
    static void aProcessThatHasExited() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        deadPid = p.pid();
    }

    private Path folder(String name, long ageMillis) throws Exception {
        Path f = Files.createDirectories(tmp.resolve(name).resolve("cache/bundle1"));
        Files.writeString(f.resolve("bundle.jar"), "x");
        Path top = tmp.resolve(name);
        Files.setLastModifiedTime(top, FileTime.fromMillis(now - ageMillis));
        return top;
    }

    @Test
    void aFolderWhoseRuntimeIsGoneAndThatIsOldIsRemovedWithItsContent() throws Exception {
        Path abandoned = folder("trampoline-child-" + deadPid + "-123", 120_000);

        assertEquals(1, ChildFolders.sweepAbandoned(tmp, now));
        assertFalse(Files.exists(abandoned));
    }

    @Test
    void aYoungFolderIsKeptWhileItsChildMayStillBeDeletingIt() throws Exception {
        Path young = folder("trampoline-child-" + deadPid + "-123", 5_000);

        assertEquals(0, ChildFolders.sweepAbandoned(tmp, now));
        assertTrue(Files.exists(young));
    }

    @Test
    void aFolderOfARunningRuntimeIsKeptHoweverOld() throws Exception {
        Path live = folder("trampoline-child-" + ProcessHandle.current().pid() + "-123", 3_600_000);

        assertEquals(0, ChildFolders.sweepAbandoned(tmp, now));
        assertTrue(Files.exists(live));
    }

    @Test
    void foldersNotNamedAfterARuntimeAndPlainFilesAreKept() throws Exception {
        Path unnamed = folder("trampoline-child-1234567890123456789", 3_600_000);
        Path other = folder("trampoline-child-abc-1", 3_600_000);
        Path file = Files.writeString(tmp.resolve("trampoline-child-" + deadPid + "-file"), "x");
        Files.setLastModifiedTime(file, FileTime.fromMillis(now - 3_600_000));

        assertEquals(0, ChildFolders.sweepAbandoned(tmp, now));
        assertTrue(Files.exists(unnamed) && Files.exists(other) && Files.exists(file));
    }

    @Test
    void aMissingTempDirectorySweepsNothing() {
        assertEquals(0, ChildFolders.sweepAbandoned(tmp.resolve("missing"), now));
    }

    @Test
    void aNewFolderIsNamedAfterThisRuntime() throws Exception {
        Path f = ChildFolders.create();
        try {
            assertTrue(f.getFileName().toString().startsWith("trampoline-child-" + ProcessHandle.current().pid() + "-"),
                    f.toString());
        } finally {
            Files.delete(f);
        }
    }
}
