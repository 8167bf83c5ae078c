package dev.trampoline.runtime.remote.internal.snapshot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import dev.trampoline.runtime.contract.internal.StoreLayout;

/**
 * Which stored copy each installed bundle's revision was captured as, kept in the content store across restarts
 * (see {@link StoreLayout#captureIndex}). Capturing a revision reads every entry of the bundle and zips it again,
 * which for a real bundle set takes seconds; a bundle that comes back from the framework's cache unchanged (same
 * bundle id, location and last-modified time: every install and update changes the last-modified time) keeps the
 * hash it had, as long as its copy is still in the store.
 * <p>
 * One line per bundle: {@code <bundle id> <last modified> <sha256> <location>}. A line that does not parse is
 * ignored (that bundle is captured again), so a damaged index only costs time. Thread-safe; the file is rewritten
 * whole through a temporary file and an atomic rename at each change, which is one small file per captured
 * bundle.
 */
final class CaptureIndex {

    /** What was captured for one bundle. */
    record Entry(long lastModified, String sha256, String location) {
    }

    private final Path file;
    private final Map<Long, Entry> entries;

    private CaptureIndex(Path file, Map<Long, Entry> entries) {
        this.file = file;
        this.entries = entries;
    }

    /** The index kept in {@code store}; empty if it has none or it cannot be read. */
    static CaptureIndex in(Path store) {
        Path file = StoreLayout.captureIndex(store);
        Map<Long, Entry> read = new TreeMap<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                parse(line, read);
            }
        } catch (NoSuchFileException none) {
            // a new store, or one from before the index: everything is captured once
        } catch (IOException | RuntimeException unreadable) {
            read.clear(); // captured again, and the index written anew
        }
        return new CaptureIndex(file, read);
    }

    private static void parse(String line, Map<Long, Entry> into) {
        String[] f = line.split(" ", 4);
        if (f.length != 4 || !f[2].matches("[0-9a-f]{64}") || f[3].isEmpty()) {
            return;
        }
        try {
            into.put(Long.parseLong(f[0]), new Entry(Long.parseLong(f[1]), f[2], f[3]));
        } catch (NumberFormatException damaged) {
            // that bundle is captured again
        }
    }

    /**
     * The hash bundle {@code bundleId} was captured with, if the index has it for exactly this location and
     * last-modified time; null otherwise.
     */
    synchronized String known(long bundleId, String location, long lastModified) {
        Entry e = entries.get(bundleId);
        return e != null && e.lastModified() == lastModified && e.location().equals(location) ? e.sha256() : null;
    }

    /** Records that bundle {@code bundleId}, as it is now, was captured as {@code sha256}. */
    synchronized void record(long bundleId, String location, long lastModified, String sha256) throws IOException {
        if (location.indexOf('\n') >= 0 || location.indexOf('\r') >= 0) {
            return; // not on one line: captured again at the next start
        }
        Entry e = new Entry(lastModified, sha256, location);
        if (!e.equals(entries.put(bundleId, e))) {
            write();
        }
    }

    /** Forgets bundle {@code bundleId} (uninstalled). */
    synchronized void forget(long bundleId) throws IOException {
        if (entries.remove(bundleId) != null) {
            write();
        }
    }

    /** Keeps only the bundles in {@code installed}: those the framework no longer has are forgotten. */
    synchronized void retain(java.util.Set<Long> installed) throws IOException {
        if (entries.keySet().retainAll(installed)) {
            write();
        }
    }

    /** A copy of the entries, by bundle id. */
    synchronized Map<Long, Entry> entries() {
        return new HashMap<>(entries);
    }

    private void write() throws IOException {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(entries).forEach((id, e) -> text.append(id).append(' ').append(e.lastModified()).append(' ')
                .append(e.sha256()).append(' ').append(e.location()).append('\n'));
        Path tmp = Files.createTempFile(file.getParent(), "capture-index", StoreLayout.TEMPORARY_SUFFIX);
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
