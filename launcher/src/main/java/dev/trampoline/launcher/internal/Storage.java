package dev.trampoline.launcher.internal;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The runtime's storage folder: {@code cache/} (the framework's bundle cache), {@code log/trampoline.log}
 * and room for runtime data, held by one runtime at a time (see {@link StorageLock}). Without a folder from
 * the user, a private temporary one deleted on close.
 */
public final class Storage implements AutoCloseable {

    private final Path root;
    private final boolean temporary;
    private final StorageLock lock;

    private Storage(Path root, boolean temporary, StorageLock lock) {
        this.root = root;
        this.temporary = temporary;
        this.lock = lock;
    }

    /**
     * Creates the folder if needed and claims it for this runtime, before anything in it is touched.
     *
     * @throws dev.trampoline.launcher.StorageInUseException when another live runtime uses the folder
     * @throws IOException when the folder cannot be created or written, saying so and what to do
     */
    public static Storage prepare(Path folder, boolean clean) throws IOException {
        if (folder == null) {
            // Private to this runtime: nobody else can know the name, so there is nothing to lock.
            Path root = Files.createTempDirectory("trampoline-");
            Files.createDirectories(root.resolve("log"));
            return new Storage(root, true, null);
        }
        try {
            Files.createDirectories(folder);
            StorageLock lock = StorageLock.acquire(folder);
            try {
                Files.createDirectories(folder.resolve("log"));
            } catch (IOException | RuntimeException e) {
                lock.close();
                throw e;
            }
            return new Storage(folder, false, lock);
        } catch (AccessDeniedException e) {
            throw notWritable(folder, "permission denied", e);
        } catch (FileSystemException e) {
            if (e.getReason() != null && e.getReason().toLowerCase(java.util.Locale.ROOT).contains("read-only")) {
                throw notWritable(folder, "read-only file system", e);
            }
            throw e;
        }
    }

    private static IOException notWritable(Path folder, String why, FileSystemException e) {
        return new IOException("storage folder " + folder + " is not writable (" + why + ": " + e.getFile()
                + "); make it writable for this user, or give another storage folder (--storage DIR)", e);
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
     * What Gogo's stock profile adds as commands: the bundle context's methods ({@code bundle 13}, {@code
     * installbundle …}) and {@code System}'s. Registered in the command processor for every session.
     */
    public static final List<String> CONTEXT_COMMANDS = List.of("addcommand context ${.context}",
            "addcommand system (((${.context} getClass) getClassLoader) loadClass java.lang.System)");

    /**
     * Writes the profile of a shell without a terminal: Gogo's stock profile minus what needs a line reader.
     */
    public void writeHeadlessShellProfile() throws IOException {
        Path profile = headlessShellHome().resolve("etc").resolve("gosh_profile");
        Files.createDirectories(profile.getParent());
        Files.writeString(profile, String.join("\n",
                "# Written by Trampoline for shells without a terminal (--exec, commands on standard input).",
                "SCOPE = 'gogo:*'",
                CONTEXT_COMMANDS.get(0),
                CONTEXT_COMMANDS.get(1),
                "e = { $exception printStackTrace }",
                ""));
    }

    /** Where the shell on a terminal finds {@code etc/gosh_profile} (unless the user has one of their own). */
    public Path terminalShellHome() {
        return root.resolve("terminal");
    }

    /**
     * Writes the profile of the shell on a terminal: Gogo's stock profile, sourced from where the shell bundle
     * has it (its welcome text is found next to it), then Tab completion for the {@code tramp:} commands, which
     * JLine's completer reads from the definitions the {@code complete} command makes in the shell's session.
     */
    public void writeTerminalShellProfile(String stockProfile) throws IOException {
        Path profile = terminalShellHome().resolve("etc").resolve("gosh_profile");
        Files.createDirectories(profile.getParent());
        Files.writeString(profile, String.join("\n",
                "# Written by Trampoline for the shell on a terminal: Gogo's stock profile, then Tab completion for",
                "# the tramp: commands. A gosh_profile in ./etc replaces it.",
                "source '" + stockProfile + "'",
                "try {",
                "  complete -c tramp:call -e",
                "  complete -c tramp:call -d 'Run a service method in a child JVM'",
                "  complete -c tramp:call -l fresh --description 'Run in a new child used for this call only'",
                "  complete -c tramp:call -l timeout --description 'Time limit in milliseconds'",
                "  complete -c tramp:call -s v -l verbose --description 'On failure, also print the remote stack'",
                "  complete -c tramp:call -a 'tramp:candidates ($.commandLine wordIndex) ($.commandLine words)'",
                "  complete -c tramp:children -e",
                "  complete -c tramp:children -d 'List the child JVMs'",
                "  complete -c tramp:children -s v -l verbose --description 'Also show start phases and moves'",
                "  complete -c tramp:kill -e",
                "  complete -c tramp:kill -d 'Kill a child JVM'",
                "  complete -c tramp:spawn -e",
                "  complete -c tramp:spawn -d 'Keep that many standby child JVMs ready'",
                "  complete -c tramp:bundleset -e",
                "  complete -c tramp:bundleset -d 'Print the bundle set a child would run'",
                "  complete -c tramp:deploy -e",
                "  complete -c tramp:deploy -d 'List the deploy folders and their files'",
                "} {",
                "  echo \"$0: ERROR: $exception\"",
                "}",
                ""));
    }

    /** Gives the folder up for the next runtime, and deletes it if it was a temporary one. */
    @Override
    public void close() {
        if (lock != null) {
            lock.close();
        }
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
