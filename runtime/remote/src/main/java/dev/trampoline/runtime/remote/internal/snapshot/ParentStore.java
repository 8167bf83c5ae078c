package dev.trampoline.runtime.remote.internal.snapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.wiring.BundleRevision;

import dev.trampoline.runtime.contract.internal.ChildProperties;
import dev.trampoline.runtime.contract.internal.InstalledRecord;

/**
 * A child's use of its parent's content store, which it shares rather than filling one of its own (see
 * {@link BundleSetTracker}): the copies its bundles were installed from, and keeping the copies its own
 * snapshots name in that store.
 */
final class ParentStore {

    private ParentStore() {
    }

    /**
     * The revisions of {@code context}'s bundles that still run the stored copy they were installed from, with its
     * hash. Such a bundle's hash is known without reading and hashing it again, which costs a cold child a few
     * hundred milliseconds at its first call of its own. A bundle installed, updated or uninstalled since is left
     * out and captured as usual: every modification changes its last-modified time. So is every bundle if the
     * record is not one of the child's boot (see {@link InstalledRecord}).
     */
    static Map<BundleRevision, String> bootedRevisions(BundleContext context) {
        Map<BundleRevision, String> known = new HashMap<>();
        List<InstalledRecord.Item> items;
        try {
            items = InstalledRecord.parse(context.getProperty(ChildProperties.INSTALLED));
        } catch (IllegalArgumentException notOurs) {
            return known;
        }
        for (InstalledRecord.Item item : items) {
            Bundle b = context.getBundle(item.bundleId());
            if (b == null) {
                continue;
            }
            BundleRevision revision = b.adapt(BundleRevision.class);
            if (revision != null && b.getLastModified() == item.lastModified()
                    && b.adapt(BundleRevision.class) == revision) {
                known.put(revision, item.sha256());
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
