package dev.trampoline.runtime.remote.internal.serial;

import java.io.DataInput;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Reads what {@link ByteSink} wrote, as a {@link DataInput}; reading past the end is an {@link EOFException}. */
final class ByteSource implements DataInput {

    private static final VarHandle SHORTS = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final byte[] bytes;
    private int position;

    ByteSource(byte[] bytes) {
        this(bytes, 0);
    }

    /** A source of {@code bytes} whose next byte is the one at {@code position}. */
    ByteSource(byte[] bytes, int position) {
        this.bytes = bytes;
        this.position = position;
    }

    /** Where the next byte is read from. */
    int position() {
        return position;
    }

    /** Bytes not read yet. */
    int available() {
        return bytes.length - position;
    }

    /** The bytes not read yet, as a copy; reads nothing. */
    byte[] rest() {
        return java.util.Arrays.copyOfRange(bytes, position, bytes.length);
    }

    private int take(int n) throws EOFException {
        if (bytes.length - position < n) {
            throw new EOFException("the values end " + (n - available()) + " byte(s) early");
        }
        int at = position;
        position += n;
        return at;
    }

    @Override
    public void readFully(byte[] b) throws IOException {
        readFully(b, 0, b.length);
    }

    @Override
    public void readFully(byte[] b, int off, int len) throws IOException {
        System.arraycopy(bytes, take(len), b, off, len);
    }

    @Override
    public int skipBytes(int n) {
        int skipped = Math.max(0, Math.min(n, available()));
        position += skipped;
        return skipped;
    }

    @Override
    public boolean readBoolean() throws IOException {
        return readByte() != 0;
    }

    @Override
    public byte readByte() throws IOException {
        return bytes[take(1)];
    }

    @Override
    public int readUnsignedByte() throws IOException {
        return readByte() & 0xFF;
    }

    @Override
    public short readShort() throws IOException {
        return (short) SHORTS.get(bytes, take(2));
    }

    @Override
    public int readUnsignedShort() throws IOException {
        return readShort() & 0xFFFF;
    }

    @Override
    public char readChar() throws IOException {
        return (char) readShort();
    }

    @Override
    public int readInt() throws IOException {
        return (int) INTS.get(bytes, take(4));
    }

    @Override
    public long readLong() throws IOException {
        return (long) LONGS.get(bytes, take(8));
    }

    @Override
    public float readFloat() throws IOException {
        return Float.intBitsToFloat(readInt());
    }

    @Override
    public double readDouble() throws IOException {
        return Double.longBitsToDouble(readLong());
    }

    @Override
    public String readLine() {
        throw new UnsupportedOperationException("values carry no lines");
    }

    @Override
    public String readUTF() throws IOException {
        return DataInputStream.readUTF(this);
    }
}
