package dev.trampoline.runtime.remote.internal.wire;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;

/**
 * One message on a parent-child channel: {@code int magic, int length, long callId, byte kind, payload} (see
 * {@link Payload} for its layout).
 * Calls are multiplexed by id, so one child serves many callers at once. The magic number makes anything else
 * on the channel (a JVM warning printed to stdout, say) a clear error at once instead of a length read from
 * text, which would have the reader wait for bytes that never come.
 */
public record Frame(long callId, byte kind, Payload payload) {

    /** Parent to child: a serialized {@link CallRequest}. */
    public static final byte CALL = 1;
    /** Child to parent: the serialized result. */
    public static final byte RESULT = 2;
    /** Child to parent: a serialized {@link Failure}. */
    public static final byte FAILURE = 3;
    /** Parent to child: interrupt the call. */
    public static final byte CANCEL = 4;
    /** Child to parent, once, call id 0: the child is ready; payload: its pid and start phases as text. */
    public static final byte READY = 5;
    /**
     * Parent to a child that never ran a call: move to another snapshot in place; payload: the snapshot file's
     * path (UTF-8).
     */
    public static final byte UPDATE = 6;
    /** Child to parent, after {@link #UPDATE}: {@code ok:<snapshot hash>} or {@code error:<message>} (UTF-8). */
    public static final byte UPDATED = 7;
    /**
     * Parent to child, call id 0: the parent's configurations as they are now (see the runtime's
     * {@code ConfigurationCodec}), for the child's Configuration Admin.
     */
    public static final byte CONFIGURE = 8;
    /**
     * Parent to child, call id 0, no payload: the parent is there. Sent to children whose launch asks for
     * heartbeats, when nothing else was written to them for a while; the child exits when nothing comes from its
     * parent for its heartbeat timeout.
     */
    public static final byte HEARTBEAT = 9;

    private static final int HEADER = Long.BYTES + 1;
    /** "TRMP". */
    static final int MAGIC = 0x54524D50;
    /** The largest first frame (a child's {@link #READY}: its pid and start phases as text). */
    private static final int MAX_FIRST_PAYLOAD = 64 * 1024;
    /** What the frame format can carry at all; a {@link ReadLimit} sets the limit in force. */
    public static final int MAX_PAYLOAD = Integer.MAX_VALUE - 64;
    /** The first frame is small and read before the channel's limit matters. */
    private static final ReadLimit FIRST_FRAME_LIMIT = ReadLimit.of(MAX_FIRST_PAYLOAD, Long.MAX_VALUE);

    public static Frame of(long callId, byte kind) {
        return new Frame(callId, kind, Payload.EMPTY);
    }

    /** A frame carrying text (the frames that are not calls or answers). */
    public static Frame text(long callId, byte kind, String text) {
        return new Frame(callId, kind, Payload.utf8(text));
    }

    /**
     * Writes the frame; callers serialize access to {@code out}. A payload over {@link #MAX_PAYLOAD} is refused
     * before anything is written (serialization refuses it first; this keeps the channel whole regardless).
     */
    public void writeTo(DataOutputStream out) throws IOException {
        long size = payload.size();
        if (size > MAX_PAYLOAD) {
            throw new IllegalArgumentException("a frame of " + size + " bytes is larger than the channel takes ("
                    + MAX_PAYLOAD + ")");
        }
        out.writeInt(MAGIC);
        out.writeInt(HEADER + (int) size);
        out.writeLong(callId);
        out.writeByte(kind);
        payload.writeTo(out);
        out.flush();
    }

    /** Reads the next frame within the default limit and this JVM's budget, or returns null at the end. */
    public static Frame readFrom(DataInputStream in) throws IOException {
        return readFrom(in, ReadLimit.standard());
    }

    /**
     * Reads the next frame, or returns null at the end of the stream. A frame longer than {@code limit} allows
     * is refused from its header, before anything is allocated for it.
     */
    public static Frame readFrom(DataInputStream in, ReadLimit limit) throws IOException {
        int magic;
        try {
            magic = in.readInt();
        } catch (EOFException end) {
            return null;
        }
        if (magic != MAGIC) {
            byte[] b = java.nio.ByteBuffer.allocate(4).putInt(magic).array();
            throw new IOException("corrupt channel: something other than a frame was written to it (it starts with \""
                    + printable(b, 4) + "\")");
        }
        return readAfterMagic(in, limit);
    }

    /**
     * Reads a child's first frame, which is always {@link #READY}, passing over what was written to its stdout
     * before: a JVM agent or an option such as {@code --show-version} prints there before the child can keep its
     * channel clean. The text passed over goes to {@code preamble} (also when the stream ends before any
     * frame); more than {@code maxPreamble} bytes of it is a corrupt channel. Returns null at the end of the
     * stream.
     */
    public static Frame readFirstFrom(DataInputStream in, int maxPreamble, java.util.function.Consumer<String> preamble)
            throws IOException {
        java.io.ByteArrayOutputStream skipped = new java.io.ByteArrayOutputStream();
        int window = 0;
        int b;
        while ((b = in.read()) >= 0) {
            window = (window << 8) | b;
            skipped.write(b);
            if (skipped.size() >= 4 && window == MAGIC) {
                // The text may hold "TRMP" itself: only a header a child's first frame can have counts.
                in.mark(HEADER + Integer.BYTES);
                int length;
                long id;
                byte kind;
                try {
                    length = in.readInt();
                    id = in.readLong();
                    kind = in.readByte();
                } catch (EOFException end) {
                    break;
                }
                if (id == 0 && kind == READY && length >= HEADER && length - HEADER <= MAX_FIRST_PAYLOAD) {
                    byte[] text = skipped.toByteArray();
                    if (text.length > 4) {
                        preamble.accept(new String(text, 0, text.length - 4, java.nio.charset.StandardCharsets.UTF_8));
                    }
                    return new Frame(id, kind, Payload.readFrom(in, length - HEADER, FIRST_FRAME_LIMIT));
                }
                in.reset();
            }
            if (skipped.size() >= maxPreamble + 4) { // even a frame starting at the next byte would come too late
                throw new IOException("corrupt channel: more than " + maxPreamble
                        + " bytes were written to it before the first frame (they start with \""
                        + printable(skipped.toByteArray(), 40) + "\")");
            }
        }
        if (skipped.size() > 0) {
            preamble.accept(skipped.toString(java.nio.charset.StandardCharsets.UTF_8));
        }
        return null;
    }

    private static String printable(byte[] bytes, int max) {
        return new String(bytes, 0, Math.min(max, bytes.length), java.nio.charset.StandardCharsets.ISO_8859_1)
                .replaceAll("[^ -~]", "?");
    }

    private static Frame readAfterMagic(DataInputStream in, ReadLimit limit) throws IOException {
        int length = in.readInt();
        if (length < HEADER) {
            throw new IOException("corrupt channel: frame length " + length);
        }
        limit.checkLength(length - HEADER);
        long id = in.readLong();
        byte kind = in.readByte();
        return new Frame(id, kind, Payload.readFrom(in, length - HEADER, limit));
    }
}
