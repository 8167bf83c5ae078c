package dev.trampoline.runtime.remote.internal.process;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.osgi.service.log.Logger;

/**
 * Each child's private folder in the temp directory, named after the runtime that starts the child
 * ({@code trampoline-child-<parent pid>-<random>}). The child deletes it when it exits, the parent when it sees
 * the child gone. A folder both miss (the parent killed before its child came up, or both killed at once) is
 * removed by the next runtime that starts children: once no process has the parent's pid and the folder has
 * not changed for a minute, and only if it belongs to this user.
 */
public final class ChildFolders {

    static final String PREFIX = "trampoline-child-";
    static final long ABANDONED_AFTER_MILLIS = 60_000;

    private ChildFolders() {
    }

    /** A new private folder for a child of this runtime. */
    public static Path create() throws IOException {
        return Files.createTempDirectory(PREFIX + ProcessHandle.current().pid() + "-");
    }

    /**
     * Removes the abandoned child folders in the temp directory, and says which: any runtime of this user may have
     * left them (one killed with its children), not only this one's predecessor in this storage.
     */
    public static void sweepAbandoned(Logger log) {
        Path tempDir = Path.of(System.getProperty("java.io.tmpdir"));
        List<Path> removed = new ArrayList<>();
        sweepAbandoned(tempDir, System.currentTimeMillis(), removed);
        if (!removed.isEmpty()) {
            log.info("Removed {} child folder(s) from {} that runtimes of this user left when they were killed: {}",
                    removed.size(), tempDir, removed.stream().map(p -> p.getFileName().toString()).toList());
        }
    }

    /** Removes the abandoned child folders in {@code tempDir}; returns how many it removed. */
    static int sweepAbandoned(Path tempDir, long nowMillis) {
        List<Path> removed = new ArrayList<>();
        sweepAbandoned(tempDir, nowMillis, removed);
        return removed.size();
    }

    private static void sweepAbandoned(Path tempDir, long nowMillis, List<Path> removed) {
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(tempDir, PREFIX + "*")) {
            String user = System.getProperty("user.name");
            for (Path folder : folders) {
                if (abandoned(folder, nowMillis, user)) {
                    ChildCommand.deleteStorage(folder);
                    removed.add(folder);
                }
            }
        } catch (IOException | RuntimeException e) {
            // an unreadable temp directory: nothing to sweep, the OS cleans it in the end
        }
    }

    private static boolean abandoned(Path folder, long nowMillis, String user) throws IOException {
        String rest = folder.getFileName().toString().substring(PREFIX.length());
        int dash = rest.indexOf('-');
        long parent;
        try {
            parent = dash > 0 ? Long.parseLong(rest.substring(0, dash)) : -1;
        } catch (NumberFormatException notOurs) {
            return false;
        }
        return parent > 0 && Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)
                && Files.getOwner(folder, LinkOption.NOFOLLOW_LINKS).getName().equals(user)
                && ProcessHandle.of(parent).filter(ProcessHandle::isAlive).isEmpty()
                && nowMillis - Files.getLastModifiedTime(folder, LinkOption.NOFOLLOW_LINKS).toMillis()
                        > ABANDONED_AFTER_MILLIS;
    }
}
