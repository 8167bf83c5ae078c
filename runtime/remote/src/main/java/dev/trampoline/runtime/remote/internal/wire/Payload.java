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

    /**
     * Reads a payload of exactly {@code size} bytes (already checked against {@code limit}'s frame limit); a
     * layout that does not add up is a corrupt channel. Memory is taken as bytes arrive, from {@code limit}'s
     * budget, and given back once the payload is read: a length that lies costs at most the first piece (1 MiB)
     * until its bytes are sent.
     */
    static Payload readFrom(DataInputStream in, int size, ReadLimit limit) throws IOException {
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
        Reservation taken = new Reservation(limit);
        try {
            byte[][] blobs = new byte[count][];
            for (int i = 0; i < count; i++) {
                blobs[i] = readGrowing(in, lengths[i], taken);
            }
            byte[] stream = readGrowing(in, (int) left, taken);
            return new Payload(stream, stream.length, List.of(blobs));
        } finally {
            taken.releaseAll();
        }
    }

    /**
     * Reads {@code length} bytes into an array that starts at {@link #FIRST_PIECE} and doubles as the bytes
     * come, so that the array is never much larger than what was received.
     */
    private static byte[] readGrowing(DataInputStream in, int length, Reservation taken) throws IOException {
        byte[] bytes = taken.allocate(Math.min(length, FIRST_PIECE));
        int off = 0;
        while (off < length) {
            if (off == bytes.length) {
                byte[] grown = taken.allocate((int) Math.min(length, 2L * bytes.length));
                System.arraycopy(bytes, 0, grown, 0, off);
                taken.forget(bytes.length);
                bytes = grown;
            }
            int n = Math.min(SLICE, bytes.length - off);
            in.readFully(bytes, off, n);
            off += n;
        }
        return bytes;
    }

    /** The first piece of a payload's array; it grows from there as bytes arrive. */
    private static final int FIRST_PIECE = 1024 * 1024;

    /** What one payload took from its limit's budget, given back at once when it is read (or fails). */
    private static final class Reservation {
        private final ReadLimit limit;
        private long taken;

        Reservation(ReadLimit limit) {
            this.limit = limit;
        }

        byte[] allocate(int length) throws IOException {
            limit.reserve(length);
            taken += length;
            return new byte[length];
        }

        void forget(int length) {
            limit.release(length);
            taken -= length;
        }

        void releaseAll() {
            limit.release(taken);
            taken = 0;
        }
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
        // Already in memory: nothing to take from a budget beyond a copy of the same size.
        return readFrom(new DataInputStream(new ByteArrayInputStream(bytes)), bytes.length,
                ReadLimit.of(Frame.MAX_PAYLOAD, Long.MAX_VALUE));
    }
}
