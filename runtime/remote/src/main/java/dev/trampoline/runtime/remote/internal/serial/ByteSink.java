package dev.trampoline.runtime.remote.internal.serial;

import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A growing byte array written as a {@link DataOutput} (big-endian, as {@link DataOutputStream}), without the
 * locks of {@code ByteArrayOutputStream} and the call per byte of {@code DataOutputStream}: a chunk of a bulk call
 * writes a few bytes per input, for a million inputs at a time.
 */
final class ByteSink extends OutputStream implements DataOutput {

    private static final VarHandle SHORTS = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private byte[] bytes;
    private int size;
    /** For {@link #writeUTF} only: modified UTF-8 as DataOutputStream writes it. */
    private DataOutputStream utf;

    ByteSink(int capacity) {
        bytes = new byte[Math.max(16, capacity)];
    }

    private void room(int n) {
        if (size + n > bytes.length) {
            long grown = Math.max((long) size + n, 2L * bytes.length);
            if (grown > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("more than 2 GiB of values in one chunk");
            }
            bytes = Arrays.copyOf(bytes, (int) grown);
        }
    }

    /** The bytes written: the sink's own array when it is full to the byte, else a copy of that length. */
    byte[] toByteArray() {
        return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
    }

    /** Writes {@code v} at {@code offset}, over what was written there. */
    void putInt(int offset, int v) {
        INTS.set(bytes, offset, v);
    }

    /** Bytes written so far. */
    int size() {
        return size;
    }

    @Override
    public void write(int b) {
        room(1);
        bytes[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        room(len);
        System.arraycopy(b, off, bytes, size, len);
        size += len;
    }

    @Override
    public void write(byte[] b) {
        write(b, 0, b.length);
    }

    @Override
    public void writeBoolean(boolean v) {
        write(v ? 1 : 0);
    }

    @Override
    public void writeByte(int v) {
        write(v);
    }

    @Override
    public void writeShort(int v) {
        room(2);
        SHORTS.set(bytes, size, (short) v);
        size += 2;
    }

    @Override
    public void writeChar(int v) {
        writeShort(v);
    }

    @Override
    public void writeInt(int v) {
        room(4);
        INTS.set(bytes, size, v);
        size += 4;
    }

    @Override
    public void writeLong(long v) {
        room(8);
        LONGS.set(bytes, size, v);
        size += 8;
    }

    @Override
    public void writeFloat(float v) {
        writeInt(Float.floatToIntBits(v));
    }

    @Override
    public void writeDouble(double v) {
        writeLong(Double.doubleToLongBits(v));
    }

    @Override
    public void writeBytes(String s) {
        for (int i = 0; i < s.length(); i++) {
            write(s.charAt(i));
        }
    }

    @Override
    public void writeChars(String s) {
        for (int i = 0; i < s.length(); i++) {
            writeChar(s.charAt(i));
        }
    }

    @Override
    public void writeUTF(String s) {
        if (utf == null) {
            utf = new DataOutputStream(this);
        }
        try {
            utf.writeUTF(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: only a string too long, which PlainForm never writes
        }
    }
}
