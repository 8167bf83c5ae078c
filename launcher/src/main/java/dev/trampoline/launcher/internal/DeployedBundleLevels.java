package dev.trampoline.launcher.internal;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.startlevel.BundleStartLevel;

/**
 * Gives each bundle deployed in an earlier run the start level of its folder, should the folder's level have
 * changed, before the framework starts. The deployer does the same once it runs, but by then the framework is
 * raising its level and may already have picked the bundle for the level it had: it then fails to start it
 * ("its start level is 3, which is greater than the framework's start level of 1") and logs that as an ERROR.
 * Done here, the framework starts the bundle at its new level, in order with the rest of that level.
 */
public final class DeployedBundleLevels {

    private DeployedBundleLevels() {
    }

    /**
     * Moves every bundle whose location is a file directly in one of {@code folders} to that folder's level
     * ({@code defaultLevel} for a folder named without one). Call after {@code Framework.init()}, before
     * {@code start()}.
     */
    public static void apply(BundleContext system, List<DeployFolder> folders, int defaultLevel, LauncherLog log) {
        for (Bundle b : system.getBundles()) {
            Path folder = folderOf(b.getLocation());
            if (folder == null) {
                continue;
            }
            for (DeployFolder f : folders) {
                if (folder.equals(f.folder().toAbsolutePath().normalize())) {
                    int level = f.startLevel() == DeployFolder.DEFAULT ? defaultLevel : f.startLevel();
                    BundleStartLevel current = b.adapt(BundleStartLevel.class);
                    if (current.getStartLevel() != level) {
                        log.info(b.getSymbolicName() + " " + b.getVersion() + " (bundle " + b.getBundleId()
                                + ") moves from start level " + current.getStartLevel() + " to " + level
                                + ", the level of " + f.folder());
                        current.setStartLevel(level);
                    }
                    break;
                }
            }
        }
    }

    /** The folder of a {@code file:} location (as the deployer writes them), or null for any other. */
    static Path folderOf(String location) {
        if (location == null || !location.startsWith("file:")) {
            return null;
        }
        try {
            Path parent = Path.of(URI.create(location)).getParent();
            return parent == null ? null : parent.toAbsolutePath().normalize();
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return null; // not a location the deployer made
        }
    }
}
