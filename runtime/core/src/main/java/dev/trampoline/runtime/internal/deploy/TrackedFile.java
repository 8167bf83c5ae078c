package dev.trampoline.runtime.internal.deploy;

import java.nio.file.Path;

import dev.trampoline.runtime.deploy.DeployedArtifact.Kind;

/**
 * The deployer's memory of one file: the stamp it last acted on, what it made of it, and the last error.
 * Written only by the deployer thread; read by the shell, hence volatile fields.
 */
final class TrackedFile {

    final Path file;
    final Kind kind;
    /** The stamp of the file content last acted on (deployed or rejected); a different stamp is a change. */
    volatile FileStamp handledStamp;
    /** SHA-256 of the bytes last installed, so a touched but unchanged jar is not updated. */
    volatile String sha256;
    volatile long bundleId = -1;
    /** Installed from the folder but not yet started (new, or waiting for its requirements). */
    volatile boolean startPending;
    volatile String configurationPid;
    volatile String error;

    TrackedFile(Path file, Kind kind) {
        this.file = file;
        this.kind = kind;
    }

    String location() {
        return file.toUri().toString();
    }
}
