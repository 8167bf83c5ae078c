package dev.trampoline.runtime.internal.deploy;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.trampoline.runtime.deploy.DeployedArtifact.Kind;
import dev.trampoline.runtime.internal.deploy.BundleJar.InvalidJarException;

/**
 * Compares what is in the deploy folders with what the deployer last acted on, and hands over the files
 * that are ready: new or changed files once they have settled (and, for jars, read as a complete bundle),
 * and tracked files that are gone. It changes nothing in the framework.
 */
final class FolderScanner {

    /** A settled new or changed file; {@code jar} is set for bundles. */
    record Ready(Path file, Kind kind, FileStamp stamp, BundleJar jar) {
    }

    /** A file that settled but can never deploy as it is; retried only when it changes. */
    record Rejected(Path file, Kind kind, FileStamp stamp, String reason) {
    }

    record Result(List<Ready> ready, List<Rejected> rejected, List<TrackedFile> removed, boolean pending) {
        boolean isEmpty() {
            return ready.isEmpty() && rejected.isEmpty() && removed.isEmpty();
        }
    }

    private final List<Path> folders;
    private final DeployRegistry registry;
    private final SettleTracker settle;
    private final long quietMillis;
    private final long giveUpOnIncompleteMillis;
    /** What the last scan listed (null before the first scan), and when the listing last differed. */
    private Map<Path, FileStamp> lastListing;
    private long listingChangedMillis = Long.MIN_VALUE / 2;

    FolderScanner(List<Path> folders, DeployRegistry registry, long quietMillis, long giveUpOnIncompleteMillis) {
        this.folders = folders;
        this.registry = registry;
        this.settle = new SettleTracker(quietMillis);
        this.quietMillis = quietMillis;
        this.giveUpOnIncompleteMillis = giveUpOnIncompleteMillis;
    }

    Result scan(long nowMillis) {
        Map<Path, FileStamp> onDisk = listFolders();
        if (lastListing != null && !onDisk.equals(lastListing)) {
            listingChangedMillis = nowMillis;
        }
        lastListing = onDisk;
        // Jars dropped together (cp *.jar, or one rename after another) must be one batch, or a client that
        // lands in an earlier batch than its API fails to resolve and is reported for nothing. So settled
        // files wait until the whole folder has been quiet; a folder that never goes quiet (a slow download
        // beside them) holds them back no longer than an incomplete jar is waited for.
        boolean folderQuiet = nowMillis - listingChangedMillis >= quietMillis;
        settle.retainOnly(onDisk.keySet());
        onDisk.forEach((file, stamp) -> {
            TrackedFile t = registry.get(file);
            if (t == null || !stamp.equals(t.handledStamp)) {
                settle.observe(file, stamp, nowMillis);
            } else {
                settle.forget(file);
            }
        });

        List<Ready> ready = new ArrayList<>();
        List<Rejected> rejected = new ArrayList<>();
        for (Path file : settle.settled(nowMillis)) {
            if (!folderQuiet && settle.unchangedForMillis(file, nowMillis) < giveUpOnIncompleteMillis) {
                continue;
            }
            FileStamp stamp = onDisk.get(file);
            Kind kind = ArtifactNames.kindOf(file).orElseThrow();
            if (kind == Kind.CONFIGURATION) {
                settle.forget(file);
                ready.add(new Ready(file, kind, stamp, null));
                continue;
            }
            try {
                BundleJar jar = BundleJar.read(file);
                settle.forget(file);
                ready.add(new Ready(file, kind, stamp, jar));
            } catch (InvalidJarException e) {
                if (!e.mayBeIncomplete() || settle.unchangedForMillis(file, nowMillis) >= giveUpOnIncompleteMillis) {
                    settle.forget(file);
                    rejected.add(new Rejected(file, kind, stamp, e.getMessage()));
                }
                // else: maybe still being written; look again once it is quiet for longer
            }
        }

        List<TrackedFile> removed = new ArrayList<>();
        for (TrackedFile t : registry.all()) {
            if (!onDisk.containsKey(t.file)) {
                removed.add(t);
            }
        }
        return new Result(ready, rejected, removed, !settle.isEmpty());
    }

    private Map<Path, FileStamp> listFolders() {
        Map<Path, FileStamp> found = new HashMap<>();
        for (Path folder : folders) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
                for (Path entry : entries) {
                    Path file = entry.toAbsolutePath().normalize();
                    if (ArtifactNames.kindOf(file).isEmpty()) {
                        continue;
                    }
                    Optional<FileStamp> stamp = FileStamp.of(file);
                    stamp.ifPresent(s -> found.put(file, s));
                }
            } catch (IOException e) {
                // A folder that vanished or cannot be read shows no files; its bundles are kept until it is
                // readable again rather than uninstalled because of a transient error.
                keepTrackedFilesOf(folder, found);
            }
        }
        return found;
    }

    private void keepTrackedFilesOf(Path folder, Map<Path, FileStamp> found) {
        for (TrackedFile t : registry.all()) {
            if (folder.equals(t.file.getParent()) && t.handledStamp != null) {
                found.put(t.file, t.handledStamp);
            }
        }
    }
}
