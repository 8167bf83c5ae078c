package dev.trampoline.runtime.remote.internal.snapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.wiring.BundleRevision;

/**
 * A child's use of its parent's content store, which it shares rather than filling one of its own (see
 * {@link BundleSetTracker}): the copies its bundles were installed from, and keeping the copies its own
 * snapshots name in that store.
 */
final class ParentStore {

    /** Set by a child's launcher: the store its snapshot was read from, its parent's. */
    static final String PROPERTY = "trampoline.child.store";

    /** Set by the child's launcher before any bundle starts: {@code id=sha256@lastModified}, comma-separated. */
    static final String INSTALLED_PROPERTY = "trampoline.child.installed";

    private ParentStore() {
    }

    /**
     * The revisions of {@code context}'s bundles that still run the stored copy they were installed from, with its
     * hash. Such a bundle's hash is known without reading and hashing it again, which costs a cold child a few
     * hundred milliseconds at its first call of its own. A bundle installed, updated or uninstalled since is left
     * out and captured as usual: every modification changes its last-modified time.
     */
    static Map<BundleRevision, String> bootedRevisions(BundleContext context) {
        Map<BundleRevision, String> known = new HashMap<>();
        String record = context.getProperty(INSTALLED_PROPERTY);
        if (record == null || record.isEmpty()) {
            return known;
        }
        for (String item : record.split(",")) {
            int eq = item.indexOf('=');
            int at = item.lastIndexOf('@');
            if (eq <= 0 || at < eq) {
                continue; // not a record of ours: that bundle is captured as usual
            }
            try {
                Bundle b = context.getBundle(Long.parseLong(item.substring(0, eq)));
                if (b == null) {
                    continue;
                }
                BundleRevision revision = b.adapt(BundleRevision.class);
                if (revision != null && b.getLastModified() == Long.parseLong(item.substring(at + 1))
                        && b.adapt(BundleRevision.class) == revision) {
                    known.put(revision, item.substring(eq + 1, at));
                }
            } catch (NumberFormatException e) {
                // as above
            }
        }
        return known;
    }

    /**
     * Marks the jars {@code snapshot} names as used, and stores again any that the parent's collector removed (it
     * keeps what was used in the last ten minutes), each from the bundle here that runs it.
     */
    static void keepCopies(ContentStore store, BundleSnapshot snapshot, BundleContext context) throws IOException {
        for (BundleEntry e : snapshot.bundles()) {
            Path jar = store.path(e.sha256());
            if (Files.isRegularFile(jar)) {
                ContentStore.touch(jar);
                continue;
            }
            Bundle b = context.getBundle(e.parentId());
            if (b == null || !e.sha256().equals(store.put(RevisionJar.of(b)))) {
                throw new IOException("bundle " + e.symbolicName() + " " + e.version() + " changed while its copy"
                        + " was stored for a child; retry the call");
            }
        }
    }
}
