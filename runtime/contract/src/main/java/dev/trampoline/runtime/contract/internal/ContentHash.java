package dev.trampoline.runtime.contract.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The one content hash of the runtime: SHA-256 in lower-case hex. It names a bundle's copy in the content store
 * (which a child checks each copy against before installing it), a snapshot, and what the hot deployer and the
 * launcher compare to tell a changed jar from an unchanged one.
 */
public final class ContentHash {

    private ContentHash() {
    }

    /** The SHA-256 of {@code content}, as 64 lower-case hex digits. */
    public static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
