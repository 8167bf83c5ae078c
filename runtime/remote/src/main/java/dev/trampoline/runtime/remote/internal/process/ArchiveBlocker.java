package dev.trampoline.runtime.remote.internal.process;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether the JVM can make and use a class-data-sharing archive on a class path: it refuses one with a non-empty
 * directory on it ({@code Cannot have non-empty directory in paths}, a JVM that fails at start when asked to
 * dump, and one that runs without sharing when asked to use it). A host embedding the runtime from its build's
 * class folders ({@code target/classes} in an IDE, {@code exec:java}, a test run) has one; a launcher jar has none.
 */
final class ArchiveBlocker {

    private ArchiveBlocker() {
    }

    /** The first non-empty directory on {@code classPath}, if any: children on it run without an archive. */
    static Optional<Path> in(String classPath) {
        for (String entry : classPath.split(File.pathSeparator, -1)) {
            Path path;
            try {
                path = Path.of(entry).toAbsolutePath(); // an empty entry is the working directory
            } catch (InvalidPathException e) {
                continue; // the JVM ignores what it cannot open, and so does its archive check
            }
            if (Files.isDirectory(path) && !isEmpty(path)) {
                return Optional.of(path);
            }
        }
        return Optional.empty();
    }

    private static boolean isEmpty(Path dir) {
        try (var entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (IOException | RuntimeException e) {
            return false; // unreadable: taken as non-empty, as a child that cannot start costs more than no archive
        }
    }
}
