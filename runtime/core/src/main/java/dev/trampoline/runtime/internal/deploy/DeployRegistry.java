package dev.trampoline.runtime.internal.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

import dev.trampoline.runtime.deploy.DeployedArtifact.Kind;

/**
 * Every file the deployer tracks, and the part of that memory that must survive a restart (which jar
 * content each deployed bundle was installed from), kept in the core bundle's data area.
 */
final class DeployRegistry {

    private final Map<Path, TrackedFile> files = new ConcurrentHashMap<>();
    private final Path stateFile;

    DeployRegistry(Path stateFile) {
        this.stateFile = stateFile;
    }

    TrackedFile get(Path file) {
        return files.get(file);
    }

    TrackedFile getOrCreate(Path file, Kind kind) {
        return files.computeIfAbsent(file, f -> new TrackedFile(f, kind));
    }

    void remove(Path file) {
        files.remove(file);
    }

    Collection<TrackedFile> all() {
        return List.copyOf(files.values());
    }

    /**
     * Rebuilds the memory of bundles deployed before a restart: every installed bundle whose location is a
     * file in one of {@code folders}, with the stamp and hash recorded when it was deployed.
     */
    void recoverInstalledBundles(BundleContext context, List<Path> folders) {
        Properties saved = new Properties();
        if (stateFile != null && Files.isRegularFile(stateFile)) {
            try (InputStream in = Files.newInputStream(stateFile)) {
                saved.load(in);
            } catch (IOException e) {
                saved.clear(); // an unreadable state only costs a re-check of every jar's content
            }
        }
        for (Bundle b : context.getBundles()) {
            Path file = fileOf(b.getLocation());
            if (file == null || !folders.contains(file.getParent())) {
                continue;
            }
            TrackedFile t = getOrCreate(file, Kind.BUNDLE);
            t.bundleId = b.getBundleId();
            String[] record = saved.getProperty(t.location(), "").split("\\|");
            if (record.length == 4) {
                try {
                    t.handledStamp = new FileStamp(Long.parseLong(record[0]), Long.parseLong(record[1]));
                } catch (NumberFormatException e) {
                    t.handledStamp = null;
                }
                t.sha256 = record[2].isEmpty() ? null : record[2];
                t.startPending = Boolean.parseBoolean(record[3]);
            }
        }
    }

    /** Saves what {@link #recoverInstalledBundles} needs; written to a temp file and moved, never torn. */
    void save() throws IOException {
        if (stateFile == null) {
            return;
        }
        Properties p = new Properties();
        for (TrackedFile t : files.values()) {
            if (t.kind == Kind.BUNDLE && t.bundleId >= 0 && t.handledStamp != null) {
                p.setProperty(t.location(), t.handledStamp.size() + "|" + t.handledStamp.modifiedMillis() + "|"
                        + (t.sha256 == null ? "" : t.sha256) + "|" + t.startPending);
            }
        }
        Files.createDirectories(stateFile.getParent());
        Path tmp = stateFile.resolveSibling(stateFile.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            p.store(out, "Trampoline hot deploy: content each deployed bundle was installed from");
        }
        Files.move(tmp, stateFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static Path fileOf(String location) {
        if (location == null || !location.startsWith("file:")) {
            return null;
        }
        try {
            return Paths.get(URI.create(location)).toAbsolutePath().normalize();
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return null;
        }
    }

    List<TrackedFile> ofKind(Kind kind) {
        List<TrackedFile> result = new ArrayList<>();
        for (TrackedFile t : files.values()) {
            if (t.kind == kind) {
                result.add(t);
            }
        }
        return result;
    }
}
