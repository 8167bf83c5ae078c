package dev.trampoline.runtime.remote.internal.snapshot;

/** The bundle set cannot be captured for a child; the message names the bundle and why. */
public final class SnapshotException extends Exception {

    private static final long serialVersionUID = 1L;

    public SnapshotException(String message, Throwable cause) {
        super(message, cause);
    }
}
