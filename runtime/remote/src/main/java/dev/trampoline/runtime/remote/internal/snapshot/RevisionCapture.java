package dev.trampoline.runtime.remote.internal.snapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;

import org.osgi.framework.Bundle;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.service.log.Logger;

/**
 * The stored copy of the revision each bundle runs (see {@link RevisionJar}), by bundle: captured once per
 * revision, by whichever thread needs it first (the tracker's capturer as bundles are installed, or a call that
 * needs a snapshot now), and, in the parent, recorded in the {@link CaptureIndex} so that a restart does not
 * capture again what did not change.
 */
final class RevisionCapture {

    private record Captured(BundleRevision revision, String sha256) {
    }

    private final ContentStore store;
    /** The tracker's: storing (read side) against collecting the store's garbage (write side). */
    private final ReadWriteLock storeLock;
    /** Null in a child, which takes its hashes from its parent (see {@link ParentStore}). */
    private final CaptureIndex index;
    private final Logger log;
    private final Map<Long, Captured> captured = new ConcurrentHashMap<>();
    /** One capture of a bundle at a time: two threads that need the same bundle do not both read it. */
    private final Map<Long, Object> locks = new ConcurrentHashMap<>();

    RevisionCapture(ContentStore store, ReadWriteLock storeLock, CaptureIndex index, Logger log) {
        this.store = store;
        this.storeLock = storeLock;
        this.index = index;
        this.log = log;
    }

    /** Takes {@code sha256} as the hash of {@code revision}, known without reading it. */
    void known(BundleRevision revision, String sha256) {
        captured.put(revision.getBundle().getBundleId(), new Captured(revision, sha256));
    }

    /**
     * The bundles that come back from the framework's cache as the index recorded them, with their copy still in
     * the store, are known without being read and zipped again; the index forgets bundles no longer installed.
     * Returns how many were known.
     */
    int knownFromIndex(Bundle[] bundles) {
        Set<Long> installed = new HashSet<>();
        int known = 0;
        for (Bundle b : bundles) {
            installed.add(b.getBundleId());
            long modified = b.getLastModified();
            String sha = index.known(b.getBundleId(), b.getLocation(), modified);
            BundleRevision revision = b.adapt(BundleRevision.class);
            if (sha != null && revision != null && Files.isRegularFile(store.path(sha))
                    && b.getLastModified() == modified && b.adapt(BundleRevision.class) == revision) {
                known(revision, sha);
                known++;
            }
        }
        try {
            index.retain(installed);
        } catch (IOException e) {
            log.warn("Could not update the capture index in {}: {}", store.root(), e.toString());
        }
        return known;
    }

    /** The hashes of the copies of the bundles installed now. */
    Set<String> installedHashes() {
        Set<String> installed = new HashSet<>();
        captured.values().forEach(c -> installed.add(c.sha256()));
        return installed;
    }

    /** Forgets bundle {@code bundleId}, uninstalled (on the framework's event thread: no file is written). */
    void uninstalled(long bundleId) {
        captured.remove(bundleId);
        locks.remove(bundleId);
    }

    /** Forgets bundle {@code bundleId} in the index too. */
    void forgetRecorded(long bundleId) {
        try {
            if (index != null) {
                index.forget(bundleId);
            }
        } catch (IOException e) {
            log.warn("Could not update the capture index in {}: {}", store.root(), e.toString());
        }
    }

    /** The SHA-256 of the revision {@code b} runs now, capturing it if that was not done yet. */
    String shaOf(Bundle b) throws SnapshotException {
        synchronized (locks.computeIfAbsent(b.getBundleId(), id -> new Object())) {
            return capture(b);
        }
    }

    private String capture(Bundle b) throws SnapshotException {
        for (int attempt = 0; attempt < 3; attempt++) {
            BundleRevision current = b.adapt(BundleRevision.class);
            Captured c = captured.get(b.getBundleId());
            if (c != null && c.revision() == current) {
                return c.sha256();
            }
            try {
                long modified = b.getLastModified();
                byte[] content;
                try {
                    content = RevisionJar.of(b);
                } catch (RevisionJar.Incomplete midUpdate) {
                    // The framework swaps the revision's content under us: give its update a moment to end.
                    Thread.sleep(10L << attempt);
                    continue;
                }
                if (b.adapt(BundleRevision.class) != current) {
                    continue; // updated while it was read: read the new revision
                }
                return stored(b, current, modified, content);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SnapshotException("interrupted while bundle " + b.getBundleId() + " was captured", e);
            } catch (IOException | IllegalStateException e) {
                if (b.getState() == Bundle.UNINSTALLED) {
                    throw new SnapshotException("bundle " + b.getBundleId() + " was uninstalled while captured", e);
                }
                throw new SnapshotException("The content of bundle " + b.getSymbolicName() + " " + b.getVersion()
                        + " [" + b.getBundleId() + "] (" + b.getLocation() + ") could not be captured for a child: "
                        + e.getMessage() + ". Update or reinstall the bundle, then retry.", e);
            }
        }
        throw new SnapshotException("bundle " + b.getSymbolicName() + " [" + b.getBundleId()
                + "] keeps changing while it is captured; retry the call", null);
    }

    private String stored(Bundle b, BundleRevision revision, long modified, byte[] content) throws IOException {
        storeLock.readLock().lock(); // stored and recorded as installed before the collector looks
        try {
            String sha = store.put(content);
            captured.put(b.getBundleId(), new Captured(revision, sha));
            if (index != null) {
                index.record(b.getBundleId(), b.getLocation(), modified, sha);
            }
            return sha;
        } finally {
            storeLock.readLock().unlock();
        }
    }
}
