package dev.trampoline.runtime.deploy;

import java.nio.file.Path;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The runtime's hot-deploy folders: jars become bundles, {@code .cfg}/{@code .config} files become
 * configurations. Registered only after the first scan of every folder has been applied.
 */
@ProviderType
public interface DeployService {

    /**
     * Framework property: the deploy folders, separated by {@link java.io.File#pathSeparator}, each optionally
     * followed by {@code @LEVEL}, the start level of the bundles installed from it ({@code /srv/spi@2}). A trailing
     * {@code @} and digits is always a level: a folder whose name ends so is written with a trailing separator.
     */
    String DEPLOY_DIRS = "trampoline.deploy.dirs";

    /**
     * Framework property: the start level of the bundles from a deploy folder named without {@code @LEVEL};
     * default 1, the level the runtime's own bundles run at.
     */
    String DEFAULT_START_LEVEL = "trampoline.deploy.startLevel";

    /** The folders being watched, in the order they were configured. */
    List<Path> folders();

    /**
     * The start level the bundles installed from {@code folder} get (and are kept at across restarts).
     *
     * @since 1.1
     */
    int startLevel(Path folder);

    /**
     * The start level of folders named without one ({@value #DEFAULT_START_LEVEL}).
     *
     * @since 1.1
     */
    int defaultStartLevel();

    /** Every file the deployer tracks, across all folders, sorted by path. */
    List<DeployedArtifact> artifacts();
}
