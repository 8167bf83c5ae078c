package dev.trampoline.runtime.contract.internal;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The exchange that opens the channel of a child sharing no filesystem with its parent (a child on another host),
 * before its framework boots. The parent sends what a local child would read from the parent's disk: the snapshot
 * ({@link SnapshotFile}, its {@code store} left for the child to set) and the child's configurations (which may
 * hold secrets: they travel only here). The child answers with the SHA-256 of every bundle its host's content
 * store lacks, and the parent sends exactly those contents, each checked by the child against its hash before it
 * is stored. Then the child boots from its host's store as any child, and the channel goes on with the wire
 * protocol (its READY frame first).
 * <p>
 * Each message: {@code int} {@value #MAGIC_TEXT} magic, {@code byte} kind, {@code long} length, the payload. The
 * child trusts its parent (which started it); the parent trusts nothing the child sends: it reads one bounded
 * {@link #NEED} and sends only contents the snapshot names.
 */
public final class ChannelBoot {

    /** "TRBT": a boot message, not the output of something else. */
    static final int MAGIC = 0x54524254;
    static final String MAGIC_TEXT = "TRBT";
    /** Parent to child: the snapshot, as a snapshot file's bytes. */
    static final byte SNAPSHOT = 1;
    /** Parent to child: the child's configurations file, possibly empty (no configuration). */
    static final byte CONFIGURATIONS = 2;
    /** Child to parent: the hashes its host lacks, one per line. */
    static final byte NEED = 3;
    /** Parent to child: 64 hex digits of the hash, then the content. */
    static final byte BLOB = 4;
    /** The most a {@link #NEED} may hold: a hash and a line end per bundle, for a hundred thousand bundles. */
    static final int MAX_NEED = 65 * 100_000;
    private static final int HASH_LENGTH = 64;

    private ChannelBoot() {
    }

    /** What the parent sends first: the snapshot and the configurations file's bytes (empty: none). */
    public record Description(byte[] snapshot, byte[] configurations) {
    }

    // ---- the parent's side ------------------------------------------------------------------------------

    /** Sends the snapshot file and the configurations (null: none), and flushes. */
    public static void describe(OutputStream out, Path snapshotFile, Path configurations) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        message(data, SNAPSHOT, Files.readAllBytes(snapshotFile));
        message(data, CONFIGURATIONS, configurations == null || !Files.exists(configurations) ? new byte[0]
                : Files.readAllBytes(configurations));
        data.flush();
    }

    /**
     * Reads the child's {@link #NEED} and sends each content it names from {@code store}; an {@link IOException}
     * if the child sent anything else, more than it may, or a hash {@code offered} does not hold (a child asks only
     * for its own snapshot's bundles). {@code in} is read exactly to the message's end and no further: the wire
     * protocol's frames follow on it.
     */
    public static List<String> serveNeeds(InputStream in, OutputStream out, Path store, Set<String> offered)
            throws IOException {
        DataInputStream data = new DataInputStream(in);
        byte[] need = readMessage(data, NEED, MAX_NEED);
        Set<String> asked = new LinkedHashSet<>(); // each content at most once, however often it is named
        for (String line : new String(need, StandardCharsets.US_ASCII).split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            if (!offered.contains(line)) {
                throw new IOException("the child asked for content its snapshot does not hold: '"
                        + printable(line) + "'");
            }
            asked.add(line);
        }
        List<String> hashes = new ArrayList<>(asked);
        DataOutputStream o = new DataOutputStream(out);
        for (String hash : hashes) {
            Path jar = StoreLayout.jar(store, hash);
            o.writeInt(MAGIC);
            o.writeByte(BLOB);
            o.writeLong(HASH_LENGTH + Files.size(jar));
            o.write(hash.getBytes(StandardCharsets.US_ASCII));
            Files.copy(jar, o);
        }
        o.flush();
        return hashes;
    }

    // ---- the child's side -------------------------------------------------------------------------------

    /** Reads the parent's {@link Description}. */
    public static Description readDescription(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        byte[] snapshot = readMessage(data, SNAPSHOT, Integer.MAX_VALUE - 8);
        byte[] configurations = readMessage(data, CONFIGURATIONS, Integer.MAX_VALUE - 8);
        return new Description(snapshot, configurations);
    }

    /**
     * Asks for the contents of {@code snapshot} that {@code store} lacks, and stores each as it comes, checked
     * against its hash: what a store holds is always what its name says. Returns how many came.
     */
    public static int fetchMissing(SnapshotFile snapshot, Path store, InputStream in, OutputStream out)
            throws IOException {
        List<String> missing = new ArrayList<>();
        for (SnapshotFile.Entry e : snapshot.bundles()) {
            if (!Files.exists(StoreLayout.jar(store, e.sha256())) && !missing.contains(e.sha256())) {
                missing.add(e.sha256());
            }
        }
        DataOutputStream o = new DataOutputStream(out);
        message(o, NEED, String.join("\n", missing).getBytes(StandardCharsets.US_ASCII));
        o.flush();
        DataInputStream data = new DataInputStream(in);
        for (String expected : missing) {
            receive(data, expected, store);
        }
        return missing.size();
    }

    /** Receives one content and stores it through a temporary file and a rename, once its hash is right. */
    private static void receive(DataInputStream in, String expected, Path store) throws IOException {
        long length = header(in, BLOB);
        byte[] name = new byte[HASH_LENGTH];
        in.readFully(name);
        String hash = new String(name, StandardCharsets.US_ASCII);
        if (!hash.equals(expected)) {
            throw new IOException("the parent sent " + printable(hash) + " where " + expected + " was asked for");
        }
        Files.createDirectories(store);
        Path tmp = Files.createTempFile(store, hash, StoreLayout.TEMPORARY_SUFFIX);
        try {
            MessageDigest digest = sha256();
            try (OutputStream file = new DigestOutputStream(Files.newOutputStream(tmp), digest)) {
                copy(in, file, length - HASH_LENGTH);
            }
            String actual = HexFormat.of().formatHex(digest.digest());
            if (!actual.equals(expected)) {
                throw new IOException("the content sent as " + expected + " has hash " + actual);
            }
            Files.move(tmp, StoreLayout.jar(store, hash), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    // ---- framing ----------------------------------------------------------------------------------------

    private static void message(DataOutputStream out, byte kind, byte[] payload) throws IOException {
        out.writeInt(MAGIC);
        out.writeByte(kind);
        out.writeLong(payload.length);
        out.write(payload);
    }

    private static byte[] readMessage(DataInputStream in, byte kind, int max) throws IOException {
        long length = header(in, kind);
        if (length > max) {
            throw new IOException("a boot message of " + length + " bytes, more than the " + max + " it may have");
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        return payload;
    }

    /** Reads a message's header, checks it is a {@code kind}, and returns its length. */
    private static long header(DataInputStream in, byte kind) throws IOException {
        int magic = in.readInt();
        if (magic != MAGIC) {
            throw new IOException("not a boot message (it starts with 0x" + Integer.toHexString(magic)
                    + ", not " + MAGIC_TEXT + "): does something on that side print to stdout before the child"
                    + " starts, a shell's profile for example?");
        }
        byte actual = in.readByte();
        long length = in.readLong();
        if (actual != kind || length < 0) {
            throw new IOException("boot message of kind " + actual + " and length " + length + " where kind "
                    + kind + " was expected");
        }
        return length;
    }

    private static void copy(InputStream in, OutputStream out, long length) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long left = length;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new IOException("the channel ended " + left + " bytes before the content's end");
            }
            out.write(buffer, 0, n);
            left -= n;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** At most 80 characters of what the other side sent, with anything not printable ASCII as '?'. */
    private static String printable(String text) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(80, text.length()); i++) {
            char c = text.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return b.toString();
    }
}
