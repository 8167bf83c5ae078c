package dev.trampoline.runtime.remote.internal.snapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import dev.trampoline.runtime.contract.internal.ContentHash;
import dev.trampoline.runtime.contract.internal.StoreLayout;

/**
 * Bundle revisions by SHA-256: {@code <root>/<sha256>.jar} (see {@link StoreLayout}). Written through a temporary
 * file and an atomic rename, so a reader (a child) never sees half a file; an existing file is never rewritten.
 */
public final class ContentStore {

    private final Path root;

    public ContentStore(Path root) throws IOException {
        this.root = Files.createDirectories(root);
    }

    public Path root() {
        return root;
    }

    /** Stores {@code content}; returns its SHA-256 (hex). */
    public String put(byte[] content) throws IOException {
        String sha = ContentHash.sha256(content);
        Path target = path(sha);
        if (Files.exists(target)) {
            touch(target); // in use again: the collector leaves recent files alone
        } else {
            Path tmp = Files.createTempFile(root, sha, StoreLayout.TEMPORARY_SUFFIX);
            try {
                Files.write(tmp, content);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        return sha;
    }

    /** Marks {@code file} as used now (its modification time), so that {@link StoreCollector} keeps it. */
    static void touch(Path file) {
        try {
            Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.from(java.time.Instant.now()));
        } catch (IOException e) {
            // read-only or gone: at worst it is collected and written again when next needed
        }
    }

    public Path path(String sha256) {
        return StoreLayout.jar(root, sha256);
    }
}
