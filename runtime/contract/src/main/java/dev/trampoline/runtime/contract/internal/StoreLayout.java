package dev.trampoline.runtime.contract.internal;

import java.nio.file.Path;

/**
 * Where the parent and its children find things on disk. The content store (the parent's; a child uses its
 * parent's) holds each bundle copy as {@code <sha256>.jar}, the snapshot files in {@code snapshots/<hash>.properties}
 * and the prepared framework caches in {@code prepared/<snapshot hash>}, and the parent's index of which copy each
 * installed bundle was captured as in {@code captured.index}, and whether it stopped with a spare JVM in
 * {@code spare.resume}; the class-data archives are in {@code cds} beside it.
 * A child's private folder holds the parent's {@code configurations} for it and its framework's {@code cache}.
 */
public final class StoreLayout {

    /** The ending of a bundle copy's file in the store (after its SHA-256). */
    public static final String JAR_SUFFIX = ".jar";
    /** The ending of a snapshot file (after the snapshot's hash). */
    public static final String SNAPSHOT_SUFFIX = ".properties";
    /** The ending of a file being written, renamed into place when complete. */
    public static final String TEMPORARY_SUFFIX = ".tmp";
    /** The name of the file, in a child's private folder, of the parent's configurations for it. */
    public static final String CHILD_CONFIGURATIONS = "configurations";

    private static final String SNAPSHOTS = "snapshots";
    private static final String PREPARED = "prepared";
    private static final String CDS = "cds";
    private static final String CHILD_CACHE = "cache";
    private static final String CAPTURE_INDEX = "captured.index";
    private static final String SPARE_MARKER = "spare.resume";

    private StoreLayout() {
    }

    /** The stored copy of the bundle content with hash {@code sha256}. */
    public static Path jar(Path store, String sha256) {
        return store.resolve(sha256 + JAR_SUFFIX);
    }

    /** The hash a stored copy is named after, or null if {@code jar} is not named as one. */
    public static String jarHash(Path jar) {
        return stripped(jar, JAR_SUFFIX);
    }

    /** The folder of the snapshot files. */
    public static Path snapshots(Path store) {
        return store.resolve(SNAPSHOTS);
    }

    /** The file of the snapshot with hash {@code snapshotHash}. */
    public static Path snapshotFile(Path store, String snapshotHash) {
        return snapshots(store).resolve(snapshotHash + SNAPSHOT_SUFFIX);
    }

    /** The hash a snapshot file is named after, or null if {@code file} is not named as one. */
    public static String snapshotHash(Path file) {
        return stripped(file, SNAPSHOT_SUFFIX);
    }

    /** The prepared framework cache of the snapshot with hash {@code snapshotHash}. */
    public static Path preparedCache(Path store, String snapshotHash) {
        return store.resolve(PREPARED).resolve(snapshotHash);
    }

    /** The parent's index of the copies its installed bundles were captured as, kept across restarts. */
    public static Path captureIndex(Path store) {
        return store.resolve(CAPTURE_INDEX);
    }

    /** The parent's note that it stopped with a spare JVM, so that the next run starts one early. */
    public static Path spareMarker(Path store) {
        return store.resolve(SPARE_MARKER);
    }

    /** The folder of the children's class-data archives, beside the store. */
    public static Path classDataArchives(Path store) {
        return store.resolveSibling(CDS);
    }

    /** The parent's configurations for the child whose private folder is {@code childStorage}. */
    public static Path childConfigurations(Path childStorage) {
        return childStorage.resolve(CHILD_CONFIGURATIONS);
    }

    /** The framework cache of the child whose private folder is {@code childStorage}. */
    public static Path childCache(Path childStorage) {
        return childStorage.resolve(CHILD_CACHE);
    }

    private static String stripped(Path file, String suffix) {
        String name = file.getFileName().toString();
        return name.endsWith(suffix) && name.length() > suffix.length()
                ? name.substring(0, name.length() - suffix.length()) : null;
    }
}
