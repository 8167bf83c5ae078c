package dev.trampoline.launcher.internal;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The runtime's storage folder: {@code cache/} (the framework's bundle cache), {@code log/trampoline.log}
 * and room for runtime data. Without a folder from the user, a private temporary one deleted on close.
 */
public final class Storage {

    private final Path root;
    private final boolean temporary;

    private Storage(Path root, boolean temporary) {
        this.root = root;
        this.temporary = temporary;
    }

    public static Storage prepare(Path folder, boolean clean) throws IOException {
        boolean temporary = folder == null;
        Path root = temporary ? Files.createTempDirectory("trampoline-") : folder;
        Files.createDirectories(root.resolve("log"));
        return new Storage(root, temporary);
    }

    public Path root() {
        return root;
    }

    public Path cache() {
        return root.resolve("cache");
    }

    public Path logFile() {
        return root.resolve("log").resolve("trampoline.log");
    }

    /** Where a headless Gogo shell finds {@code etc/gosh_profile}. */
    public Path headlessShellHome() {
        return root.resolve("shell");
    }

    /**
     * Writes the profile of a shell without a terminal: Gogo's stock profile minus what needs a line reader.
     */
    public void writeHeadlessShellProfile() throws IOException {
        Path profile = headlessShellHome().resolve("etc").resolve("gosh_profile");
        Files.createDirectories(profile.getParent());
        Files.writeString(profile, String.join("\n",
                "# Written by Trampoline for shells without a terminal (--exec, commands on standard input).",
                "SCOPE = 'gogo:*'",
                "addcommand context ${.context}",
                "addcommand system (((${.context} getClass) getClassLoader) loadClass java.lang.System)",
                "e = { $exception printStackTrace }",
                ""));
    }

    public void deleteIfTemporary() {
        if (temporary) {
            deleteTree(root);
        }
    }

    /** Deletes {@code root} and everything in it, quietly: a leftover only costs disk. */
    public static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    try {
                        Files.deleteIfExists(file);
                    } catch (IOException e) {
                        // left for the folder's own deletion to report by failing; go on with the rest
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE; // gone already (someone else is deleting too): go on
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // A temporary folder that cannot be deleted is left to the OS's temp cleaning.
        }
    }
}
