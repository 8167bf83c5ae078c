package dev.trampoline.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FoldersTest {

    @TempDir
    Path dir;

    @Test
    void aFolderOrAMissingOneCanBeAFolder() {
        assertNull(Folders.notAFolder(dir, "--deploy"));
        assertNull(Folders.notAFolder(dir.resolve("missing/deeper"), "--deploy"));
    }

    @Test
    void aFileOrAPathUnderOneCannotAndTheMessageSaysWhich() throws Exception {
        Path file = Files.writeString(dir.resolve("plugins.jar"), "x");

        assertEquals("--deploy " + file + " is a file, not a folder; give a folder (created if missing)",
                Folders.notAFolder(file, "--deploy"));
        String under = Folders.notAFolder(file.resolve("sub"), "--storage");
        assertTrue(under.startsWith("--storage " + file.resolve("sub") + " cannot be a folder: " + file + " is a file"),
                under);
    }

    @Test
    void aDeployFolderIsCreatedOrRefusedInOneLine() throws Exception {
        Folders.prepareDeployFolder(dir.resolve("a/b"), "--deploy");
        assertTrue(Files.isDirectory(dir.resolve("a/b")));

        Path file = Files.writeString(dir.resolve("f"), "x");
        IOException e = assertThrows(IOException.class, () -> Folders.prepareDeployFolder(file, "--deploy"));
        assertEquals(1, e.getMessage().lines().count());
    }
}
