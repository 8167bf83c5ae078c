package dev.trampoline.launcher.internal;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The folders a user names (deploy, storage), checked before anything starts: a path that is a file, or
 * lies under one, can never be a folder, and is said so in one line at once rather than found out by a
 * watcher that fails (and a start that waits for its first scan).
 */
public final class Folders {

    private Folders() {
    }

    /** Why {@code folder} cannot be a folder (it or a parent is not a directory), or null when it can be. */
    public static String notAFolder(Path folder, String option) {
        Path absolute = folder.toAbsolutePath().normalize();
        for (Path p = absolute; p != null; p = p.getParent()) {
            if (Files.exists(p) && !Files.isDirectory(p)) {
                return p.equals(absolute)
                        ? option + " " + absolute + " is a file, not a folder; give a folder (created if missing)"
                        : option + " " + absolute + " cannot be a folder: " + p
                                + " is a file; give a folder (created if missing)";
            }
        }
        return null;
    }

    /**
     * Makes sure {@code folder} is a deploy folder the runtime can watch: creates it if missing.
     *
     * @throws IOException saying in one line what is wrong and what to do
     */
    public static void prepareDeployFolder(Path folder, String option) throws IOException {
        String problem = notAFolder(folder, option);
        if (problem != null) {
            throw new IOException(problem);
        }
        Path absolute = folder.toAbsolutePath().normalize();
        try {
            Files.createDirectories(absolute);
        } catch (AccessDeniedException e) {
            throw new IOException(option + " " + absolute + " cannot be created (permission denied: " + e.getFile()
                    + "); create it, or give a folder this user can write", e);
        } catch (FileSystemException e) {
            throw new IOException(option + " " + absolute + " cannot be created ("
                    + (e.getReason() == null ? e.getClass().getSimpleName() : e.getReason()) + ": " + e.getFile()
                    + "); give another folder", e);
        }
        if (!Files.isReadable(absolute)) {
            throw new IOException(option + " " + absolute + " cannot be read (permission denied); "
                    + "make it readable for this user, or give another folder");
        }
    }
}
