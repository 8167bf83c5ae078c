package dev.trampoline.launcher.internal.child;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;

/**
 * The component descriptions the component runtime parsed, carried from one child of a snapshot to the next in
 * the snapshot's prepared cache, so that later children read them instead of parsing every bundle's XML again.
 * <p>
 * The runtime's own cache does the work ({@code ds.cache.metadata}): it writes what it parsed to its bundle's
 * data folder as it stops, reads it as it starts, and checks each entry against its bundle's id and
 * last-modified time, parsing again whatever does not match. A copy is kept only from a child that booted from
 * the prepared cache (an installing child's times differ from the cache's) and whose bundle set never changed
 * (a standby child that moved to another snapshot describes other bundles).
 */
final class ComponentMetadataCache implements BundleListener {

    static final String FILE = "componentMetadataStore";

    private volatile boolean bundlesChanged;

    /** Turns the runtime's cache on in a child's framework properties, unless they say otherwise. */
    static void enable(Map<String, Object> config) {
        config.putIfAbsent("ds.cache.metadata", "true");
    }

    /** Watches a booted framework for bundles installed, updated or uninstalled from now on. */
    void watch(BundleContext systemContext) {
        systemContext.addBundleListener(this);
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        int type = event.getType();
        if (type == BundleEvent.INSTALLED || type == BundleEvent.UPDATED || type == BundleEvent.UNINSTALLED) {
            bundlesChanged = true;
        }
    }

    /** After the framework stopped: keeps the descriptions it wrote in the prepared cache it booted from. */
    void keep(Path cache, PreparedCache prepared) {
        if (bundlesChanged) {
            return;
        }
        try (DirectoryStream<Path> bundles = Files.newDirectoryStream(cache, "bundle*")) {
            for (Path bundle : bundles) {
                String relative = bundle.getFileName() + "/data/" + FILE;
                if (Files.isRegularFile(cache.resolve(relative))) {
                    prepared.keep(cache, relative);
                }
            }
        } catch (IOException e) {
            // only later children's speed depends on it
        }
    }
}
