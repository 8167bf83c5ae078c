package dev.trampoline.runtime.remote.internal.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveBlockerTest {

    @TempDir
    Path dir;

    private static String classPath(Object... entries) {
        StringBuilder sb = new StringBuilder();
        for (Object e : entries) {
            sb.append(sb.isEmpty() ? "" : File.pathSeparator).append(e);
        }
        return sb.toString();
    }

    @Test
    void jarsAndEmptyOrMissingFoldersLeaveTheArchivePossible() throws Exception {
        Path jar = Files.writeString(dir.resolve("launcher.jar"), "jar");
        Path empty = Files.createDirectory(dir.resolve("empty"));

        assertEquals(Optional.empty(), ArchiveBlocker.in(classPath(jar, empty, dir.resolve("missing"))));
    }

    @Test
    void theFirstNonEmptyFolderBlocksIt() throws Exception {
        Path jar = Files.writeString(dir.resolve("launcher.jar"), "jar");
        Path classes = Files.createDirectories(dir.resolve("target/classes/dev"));
        Path other = Files.createDirectories(dir.resolve("other/x"));

        assertEquals(Optional.of(classes.getParent()), ArchiveBlocker.in(classPath(jar, classes.getParent(),
                other.getParent())));
    }

    @Test
    void anEmptyEntryIsTheWorkingDirectory() throws Exception {
        Path jar = Files.writeString(dir.resolve("launcher.jar"), "jar");

        assertEquals(Optional.of(Path.of("").toAbsolutePath()), ArchiveBlocker.in(jar + File.pathSeparator));
    }
}
