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
     * file in one of {@code folders}, with what was recorded for it (see {@link #save}). A record whose bundle
     * is not installed is a write-ahead entry for an install the runtime never got to, and is dropped.
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
            restore(t, saved.getProperty(t.location(), ""));
        }
    }

    /**
     * Saves what {@link #recoverInstalledBundles} needs; written to a temp file and moved, never torn. The
     * deployer also calls it before it changes the framework (a write-ahead record), so that a runtime killed
     * in the middle of a batch knows at restart which bundles it still owes a start and which content it
     * cannot vouch for.
     */
    void save() throws IOException {
        if (stateFile == null) {
            return;
        }
        Properties p = new Properties();
        for (TrackedFile t : files.values()) {
            if (t.kind == Kind.BUNDLE) {
                p.setProperty(t.location(), format(t));
            }
        }
        Files.createDirectories(stateFile.getParent());
        Path tmp = stateFile.resolveSibling(stateFile.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            p.store(out, "Trampoline hot deploy: per jar, size|modified|sha256 of the installed content|start owed");
        }
        Files.move(tmp, stateFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * One jar's record: {@code size|modified|sha256|startPending}. An empty stamp or hash means "not known to
     * be applied": the jar is taken again at the next scan and its content compared.
     */
    static String format(TrackedFile t) {
        FileStamp stamp = t.handledStamp;
        return (stamp == null ? "|" : stamp.size() + "|" + stamp.modifiedMillis()) + "|"
                + (t.sha256 == null ? "" : t.sha256) + "|" + t.startPending;
    }

    /** Sets what {@link #format} recorded; a missing or malformed record leaves the jar to be re-checked. */
    static void restore(TrackedFile t, String record) {
        String[] fields = record.split("\\|", -1);
        if (fields.length != 4) {
            return;
        }
        try {
            t.handledStamp = fields[0].isEmpty() ? null
                    : new FileStamp(Long.parseLong(fields[0]), Long.parseLong(fields[1]));
        } catch (NumberFormatException e) {
            t.handledStamp = null;
        }
        t.sha256 = fields[2].isEmpty() ? null : fields[2];
        t.startPending = Boolean.parseBoolean(fields[3]);
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
