package dev.trampoline.runtime.deploy;

import java.nio.file.Path;

/**
 * What became of one file in a deploy folder.
 *
 * @param file the file in the deploy folder
 * @param kind whether the file is a bundle or a configuration
 * @param bundleId the bundle installed from it, or {@code -1} when there is none
 * @param symbolicName the bundle's symbolic name, or {@code null}
 * @param version the bundle's version, or {@code null}
 * @param state the bundle's state ({@code ACTIVE}, {@code INSTALLED}, ...) or, for configurations,
 *        {@code APPLIED}; {@code FAILED} when the file could not be deployed at all
 * @param configurationPid the configuration's PID for configuration files, else {@code null}
 * @param error why the file is not (fully) deployed, or {@code null} when all is well
 * @param startLevel the bundle's start level, or {@code 0} when there is no bundle
 */
public record DeployedArtifact(Path file, Kind kind, long bundleId, String symbolicName, String version,
        String state, String configurationPid, String error, int startLevel) {

    /** An artifact without a start level ({@code 0}), as code written against version 1.0 makes one. */
    public DeployedArtifact(Path file, Kind kind, long bundleId, String symbolicName, String version, String state,
            String configurationPid, String error) {
        this(file, kind, bundleId, symbolicName, version, state, configurationPid, error, 0);
    }

    /** The two kinds of deployable file. */
    public enum Kind {
        /** A {@code *.jar}: installed as a bundle. */
        BUNDLE,
        /** A {@code *.cfg} or {@code *.config} file: a Configuration Admin configuration. */
        CONFIGURATION
    }
}
