package dev.trampoline.runtime.remote.internal.snapshot;

/**
 * One bundle of a snapshot: where it came from, what it is, the SHA-256 of the revision the parent runs, and
 * how the child must treat it.
 */
public record BundleEntry(long parentId, String location, String symbolicName, String version, String sha256,
        int startLevel, boolean start, boolean fragment, String state) {
}
