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

    /** Framework property: the deploy folders, separated by {@link java.io.File#pathSeparator}. */
    String DEPLOY_DIRS = "trampoline.deploy.dirs";

    /** The folders being watched, in the order they were configured. */
    List<Path> folders();

    /** Every file the deployer tracks, across all folders, sorted by path. */
    List<DeployedArtifact> artifacts();
}
