package dev.trampoline.runtime.remote.internal.wire;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The body of a frame: an object stream, and the large byte arrays it refers to by index (blobs). Blobs are
 * kept out of the stream so that they go from the sender's array to the channel, and from the channel into
 * the receiver's final array, without the four extra copies (and a heap several times their size) that the
 * object stream's block buffers and a growing byte array cost.
 *
 * <p>Layout: {@code int blobCount, int length × blobCount, the blobs, the stream}.
 */
public final class Payload {

    public static final Payload EMPTY = of(new byte[0]);

    /**
     * Byte arrays at least this long travel as blobs; shorter ones are cheaper inside the stream. A reader
     * refuses shorter blobs: a frame can then claim no more blobs than it has room for 64 KiB pieces, so a
     * corrupt or hostile count cannot make the reader allocate more than the frame's own size.
     */
    public static final int MIN_BLOB_LENGTH = 64 * 1024;

    /**
     * Bytes per read or write on the channel: the JDK's stream natives copy through a native buffer of the
     * request's size, so one request of 64 MiB would allocate 64 MiB; the pipe takes 64 KiB at a time anyway.
     */
    private static final int SLICE = 64 * 1024;

    private final byte[] stream;
    private final int streamLength;
    private final byte[][] blobs;

    /** {@code stream[0, streamLength)} and the blobs, neither copied. */
    public Payload(byte[] stream, int streamLength, List<byte[]> blobs) {
        if (streamLength < 0 || streamLength > stream.length) {
            throw new IllegalArgumentException("stream length " + streamLength + " of " + stream.length);
        }
        this.stream = stream;
        this.streamLength = streamLength;
        this.blobs = blobs.toArray(new byte[0][]);
    }

    /** A payload of plain bytes, without blobs. */
    public static Payload of(byte[] bytes) {
        return new Payload(bytes, bytes.length, List.of());
    }

    public static Payload utf8(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The stream as text, for the frames that carry text (see {@link Frame}). */
    public String utf8() {
        return new String(stream, 0, streamLength, StandardCharsets.UTF_8);
    }

    /** The stream's first byte (0-255), or -1 for an empty stream: what tells its form. */
    public int firstByte() {
        return streamLength == 0 ? -1 : stream[0] & 0xFF;
    }

    public InputStream stream() {
        return new ByteArrayInputStream(stream, 0, streamLength);
    }

    public int blobCount() {
        return blobs.length;
    }

    /** The blob itself, not a copy. */
    public byte[] blob(int index) {
        return blobs[index];
    }

    /** Bytes it takes on the channel. */
    public long size() {
        long size = Integer.BYTES * (1L + blobs.length) + streamLength;
        for (byte[] b : blobs) {
            size += b.length;
        }
        return size;
    }

    void writeTo(DataOutputStream out) throws IOException {
        out.writeInt(blobs.length);
        for (byte[] b : blobs) {
            out.writeInt(b.length);
        }
        for (byte[] b : blobs) {
            writeSliced(out, b, b.length);
        }
        writeSliced(out, stream, streamLength);
    }

    private static void writeSliced(OutputStream out, byte[] bytes, int length) throws IOException {
        for (int off = 0; off < length; off += SLICE) {
            out.write(bytes, off, Math.min(SLICE, length - off));
        }
    }

    /** Reads a payload of exactly {@code size} bytes; a layout that does not add up is a corrupt channel. */
    static Payload readFrom(DataInputStream in, int size) throws IOException {
        if (size < Integer.BYTES) {
            throw new IOException("corrupt channel: payload of " + size + " bytes");
        }
        int count = in.readInt();
        long left = size - (long) Integer.BYTES;
        if (count < 0 || (long) count * (Integer.BYTES + MIN_BLOB_LENGTH) > left) {
            throw new IOException("corrupt channel: " + count + " blobs in a payload of " + size + " bytes");
        }
        left -= (long) count * Integer.BYTES;
        int[] lengths = new int[count];
        for (int i = 0; i < count; i++) {
            lengths[i] = in.readInt();
            left -= lengths[i];
            if (lengths[i] < MIN_BLOB_LENGTH || left < 0) {
                throw new IOException("corrupt channel: blob of " + lengths[i] + " bytes, or blob lengths that"
                        + " exceed a payload of " + size + " bytes");
            }
        }
        byte[][] blobs = new byte[count][];
        for (int i = 0; i < count; i++) {
            blobs[i] = readSliced(in, lengths[i]);
        }
        byte[] stream = readSliced(in, (int) left);
        return new Payload(stream, stream.length, List.of(blobs));
    }

    private static byte[] readSliced(DataInputStream in, int length) throws IOException {
        byte[] bytes = new byte[length];
        for (int off = 0; off < length; off += SLICE) {
            in.readFully(bytes, off, Math.min(SLICE, length - off));
        }
        return bytes;
    }

    /** The whole payload in one array, for a payload carried inside another (an exception in a failure). */
    public byte[] toBytes() {
        long size = size();
        if (size > Frame.MAX_PAYLOAD) {
            throw new IllegalStateException("payload of " + size + " bytes is too large for one array");
        }
        byte[] bytes = new byte[(int) size];
        ByteBuffer b = ByteBuffer.wrap(bytes).putInt(blobs.length);
        for (byte[] blob : blobs) {
            b.putInt(blob.length);
        }
        for (byte[] blob : blobs) {
            b.put(blob);
        }
        b.put(stream, 0, streamLength);
        return bytes;
    }

    /** Reads what {@link #toBytes()} wrote. */
    public static Payload fromBytes(byte[] bytes) throws IOException {
        return readFrom(new DataInputStream(new ByteArrayInputStream(bytes)), bytes.length);
    }
}
