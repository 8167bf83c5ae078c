package dev.trampoline.launcher.internal.child;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import dev.trampoline.launcher.internal.Storage;
import dev.trampoline.runtime.contract.internal.StoreLayout;

/**
 * A framework cache with a snapshot's bundles installed and none started, kept once per snapshot hash beside the
 * content store, so that a child of a known bundle set skips the installs: it copies the folder (bundle jars
 * hard-linked where the file system allows, never written by the framework) and the framework loads the bundles
 * from it.
 * <p>
 * The first child of a snapshot installs as before (each jar verified against its SHA-256) and then saves its
 * cache here under a temporary name, renamed into place in one step: a cache is either complete or absent. A
 * child that finds one still checks that the framework loaded exactly the snapshot's bundles (see
 * {@code ChildMain}) and installs from the store if not. Later, a child may add files its bundles wrote that
 * spare later children work (see {@link ComponentMetadataCache}). The newest {@value #KEEP} caches are kept; a
 * child that uses one marks it as recently used.
 */
final class PreparedCache {

    private static final int KEEP = 8;
    private static final String JAR = "bundle.jar";

    private final Path folder;

    PreparedCache(Path store, String snapshotHash) {
        this.folder = StoreLayout.preparedCache(store, snapshotHash);
    }

    /**
     * Starts copying the prepared cache into {@code cache} (absent or empty) on another thread, so that the
     * caller can meanwhile do work that reads no cache (constructing the framework); null if there is no
     * prepared cache to copy.
     */
    Restore restoreInBackground(Path cache) {
        if (!Files.isDirectory(folder)) {
            return null;
        }
        Restore restore = new Restore(cache);
        Thread copier = new Thread(restore, "trampoline-cache-restore");
        copier.setDaemon(true);
        copier.start();
        return restore;
    }

    /** A copy of the prepared cache under way (see {@link #restoreInBackground}). */
    final class Restore implements Runnable {

        private final Path cache;
        private final java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        private volatile boolean copied;

        private Restore(Path cache) {
            this.cache = cache;
        }

        @Override
        public void run() {
            try {
                copyTree(folder, cache, true);
                copied = true;
                Files.setLastModifiedTime(folder, FileTime.fromMillis(System.currentTimeMillis()));
            } catch (IOException | RuntimeException e) {
                // copied stays false unless only the mark failed (which only orders pruning); the caller
                // installs from the store instead
            } finally {
                done.countDown();
            }
        }

        /**
         * Waits until the copy is over, even if interrupted (the caller may delete the folder next, and must
         * not while this writes into it); true if the whole prepared cache was copied.
         */
        boolean await() {
            boolean interrupted = false;
            while (true) {
                try {
                    done.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return copied;
        }
    }

    /**
     * Saves {@code cache} (bundles installed, none started yet) as this snapshot's prepared cache, unless another
     * child already has. Failures only cost later children speed, so they are swallowed.
     */
    void saveFrom(Path cache) {
        if (Files.isDirectory(folder)) {
            return;
        }
        Path tmp = folder.resolveSibling(folder.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(folder.getParent());
            copyTree(cache, tmp, false);
            try (Stream<Path> files = Files.walk(tmp)) { // shared by hard links from now on: nobody writes them
                files.filter(p -> p.getFileName().toString().equals(JAR)).forEach(p -> p.toFile().setReadOnly());
            }
            Files.move(tmp, folder, StandardCopyOption.ATOMIC_MOVE);
            prune();
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            // another child of the same snapshot saved it first
        } catch (IOException | RuntimeException e) {
            // a prepared cache is only an optimization
        } finally {
            Storage.deleteTree(tmp);
        }
    }

    /**
     * Keeps in this prepared cache a copy of a file the framework's bundles wrote into {@code cache} while it
     * ran (for example the component runtime's metadata, written as it stops), replacing a copy that differs,
     * unless the prepared cache is gone. The file is written beside the cache under a temporary name and
     * renamed into place in one step, so a child restoring meanwhile copies one whole version or none.
     * Failures only cost later children speed.
     *
     * @param relative the file's path inside a framework cache
     */
    void keep(Path cache, String relative) {
        Path source = cache.resolve(relative);
        Path target = folder.resolve(relative);
        Path tmp = folder.resolveSibling(folder.getFileName() + "." + source.getFileName() + ".tmp-"
                + ProcessHandle.current().pid());
        try {
            if (!Files.isDirectory(folder) || !Files.isRegularFile(source)
                    || (Files.isRegularFile(target) && Files.mismatch(source, target) == -1)) {
                return;
            }
            Files.createDirectories(target.getParent());
            Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            // only an optimization
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                // pruned with the cache
            }
        }
    }

    /** Keeps the {@value #KEEP} most recently used caches; a child copying a removed one falls back to installs. */
    private void prune() throws IOException {
        List<Path> caches;
        try (Stream<Path> all = Files.list(folder.getParent())) {
            caches = all.filter(p -> !p.getFileName().toString().contains(".tmp-")).sorted(
                    Comparator.comparing(PreparedCache::lastUsed).reversed()).toList();
        }
        for (Path old : caches.subList(Math.min(KEEP, caches.size()), caches.size())) {
            Storage.deleteTree(old);
        }
    }

    private static FileTime lastUsed(Path cache) {
        try {
            return Files.getLastModifiedTime(cache);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    private static void copyTree(Path from, Path to, boolean linkJars) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path source : (Iterable<Path>) walk::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else if (linkJars && source.getFileName().toString().equals(JAR)) {
                    try {
                        Files.createLink(target, source);
                    } catch (IOException | UnsupportedOperationException e) { // another file system
                        Files.copy(source, target);
                    }
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }
}
