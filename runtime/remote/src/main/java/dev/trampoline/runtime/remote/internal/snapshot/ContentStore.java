package dev.trampoline.runtime.remote.internal.snapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Bundle revisions by SHA-256: {@code <root>/<sha256>.jar}. Written through a temporary file and an atomic
 * rename, so a reader (a child) never sees half a file; an existing file is never rewritten.
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
        String sha = sha256(content);
        Path target = path(sha);
        if (!Files.exists(target)) {
            Path tmp = Files.createTempFile(root, sha, ".tmp");
            try {
                Files.write(tmp, content);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        return sha;
    }

    public Path path(String sha256) {
        return root.resolve(sha256 + ".jar");
    }

    public static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
