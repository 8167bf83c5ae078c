package dev.trampoline.runtime.remote.internal.snapshot;

/**
 * One bundle of a snapshot: where it came from, what it is, the SHA-256 of the revision the parent runs, and
 * how the child must treat it: {@code start} it (with its activation policy when {@code lazy}) or only install
 * it, for the reason {@code childRole} says (shown by {@code tramp:bundleset}). Children start bundles by
 * {@code startLevel}, and within a level in the order of {@code startSequence}, the order they started in the
 * parent.
 */
public record BundleEntry(long parentId, String location, String symbolicName, String version, String sha256,
        int startLevel, boolean start, boolean lazy, boolean fragment, String state, String childRole,
        long startSequence) {

    /** A bundle the child starts as the parent does, eagerly, in bundle id order. */
    public BundleEntry(long parentId, String location, String symbolicName, String version, String sha256,
            int startLevel, boolean start, boolean fragment, String state) {
        this(parentId, location, symbolicName, version, sha256, startLevel, start, false, fragment, state,
                fragment ? "fragment" : start ? "start" : "install", parentId);
    }
}
