package dev.trampoline.runtime.internal.deploy;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

import dev.trampoline.runtime.deploy.DeployedArtifact.Kind;

/**
 * Which file names in a deploy folder are deployable, and as what. Hidden files and the names browsers
 * and copy tools give half-written files are ignored, so "write to a temp name, then rename" works.
 */
final class ArtifactNames {

    private ArtifactNames() {
    }

    static Optional<Kind> kindOf(Path file) {
        Path name = file.getFileName();
        if (name == null) {
            return Optional.empty();
        }
        String n = name.toString().toLowerCase(Locale.ROOT);
        if (n.startsWith(".") || n.endsWith(".part") || n.endsWith(".tmp") || n.endsWith(".crdownload")
                || n.endsWith("~")) {
            return Optional.empty();
        }
        if (n.endsWith(".jar")) {
            return Optional.of(Kind.BUNDLE);
        }
        if (n.endsWith(".cfg") || n.endsWith(".config")) {
            return Optional.of(Kind.CONFIGURATION);
        }
        return Optional.empty();
    }
}
