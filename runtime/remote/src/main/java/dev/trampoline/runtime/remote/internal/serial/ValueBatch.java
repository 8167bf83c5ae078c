package dev.trampoline.runtime.remote.internal.serial;

import java.io.IOException;
import java.io.StreamCorruptedException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.trampoline.runtime.remote.CallNotSerializableException;
import dev.trampoline.runtime.remote.internal.wire.Failure;
import dev.trampoline.runtime.remote.internal.wire.Payload;

/**
 * The inputs of a chunk of a bulk call, or its results, in one byte array: plain values (see {@link PlainForm})
 * in the plain form, a few bytes each; the others, and the failures of an answer ({@link Failure}), together in
 * one Java serialization stream, read through the same {@link ClassFilter} as any call or answer. Why: a chunk
 * carries up to millions of small values, and Java serialization costs far more per value than the plain form,
 * while one stream for the rest still shares its class descriptors among them.
 * <p>
 * A value that cannot be serialized spoils only its own entry: it is replaced by the failure {@link Unsendable}
 * makes of it. A stream that cannot be read (a class refused) spoils only the entries that were in it.
 * <p>
 * Layout: {@code int count}; per entry a tag, followed by the value's data for a plain value ({@link PlainForm}'s
 * tags), nothing for {@link #JAVA} and {@link #FAILED}; then, if any entry is one of those two, the stream of an
 * {@code Object[]} of them in entry order ({@link Payload#toBytes} form) to the end.
 */
public final class ValueBatch {

    /** An entry in the Java stream. */
    static final byte JAVA = 100;
    /** A failure ({@link Failure}) in the Java stream. */
    static final byte FAILED = 101;

    /** Makes the failure that takes the place of an entry that cannot be serialized. */
    @FunctionalInterface
    public interface Unsendable {
        Failure failure(int position, CallNotSerializableException why);
    }

    /** Makes what takes the place of each entry of a stream that cannot be read, from the reason. */
    @FunctionalInterface
    public interface Unreadable {
        Object entry(int position, String why);
    }

    private ValueBatch() {
    }

    /** {@code entries} (values, and {@link Failure}s) in one array; see the class comment. */
    public static byte[] write(Serialization serialization, List<?> entries, Unsendable unsendable) {
        int count = entries.size();
        List<Object> others = new ArrayList<>(0);
        int[] positions = new int[0];
        for (int i = 0; i < count; i++) {
            Object e = entries.get(i);
            if (e instanceof Failure || !PlainForm.isPlain(e)) {
                if (others.size() == positions.length) {
                    positions = Arrays.copyOf(positions, Math.max(8, 2 * positions.length));
                }
                positions[others.size()] = i;
                others.add(e);
            }
        }
        byte[] stream = others.isEmpty() ? null : stream(serialization, others, positions, unsendable);
        ByteSink out = new ByteSink(count * 5 + 8 + (stream == null ? 0 : stream.length));
        out.writeInt(count);
        int next = 0;
        try {
            for (int i = 0; i < count; i++) {
                if (next < others.size() && positions[next] == i) {
                    out.writeByte(others.get(next++) instanceof Failure ? FAILED : JAVA);
                } else {
                    PlainForm.writeValue(entries.get(i), out);
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // in memory: does not happen
        }
        if (stream != null) {
            out.write(stream);
        }
        return out.toByteArray();
    }

    /**
     * The Java stream of {@code others}; if one of them cannot be serialized, each is tried alone and those that
     * fail are replaced (in {@code others}) by their failure.
     */
    private static byte[] stream(Serialization serialization, List<Object> others, int[] positions,
            Unsendable unsendable) {
        try {
            return serialization.write(others.toArray()).toBytes();
        } catch (CallNotSerializableException some) {
            for (int j = 0; j < others.size(); j++) {
                if (!(others.get(j) instanceof Failure)) {
                    try {
                        serialization.write(others.get(j));
                    } catch (CallNotSerializableException e) {
                        others.set(j, unsendable.failure(positions[j], e));
                    }
                }
            }
            return serialization.write(others.toArray()).toBytes();
        }
    }

    /**
     * The entries {@link #write} wrote: values, and {@link Failure}s; each entry of a Java stream that cannot be
     * read is what {@code unreadable} makes of it. A layout that does not add up is an {@link IOException}.
     */
    public static List<Object> read(Serialization serialization, byte[] bytes, Unreadable unreadable)
            throws IOException {
        ByteSource in = new ByteSource(bytes);
        int count = in.readInt();
        if (count < 0 || count > in.available()) {
            throw new StreamCorruptedException("count " + count + " with " + in.available() + " bytes left");
        }
        Object[] entries = new Object[count];
        int[] positions = new int[0];
        byte[] tags = new byte[0];
        int others = 0;
        for (int i = 0; i < count; i++) {
            byte tag = in.readByte();
            if (tag == JAVA || tag == FAILED) {
                if (others == positions.length) {
                    positions = Arrays.copyOf(positions, Math.max(8, 2 * positions.length));
                    tags = Arrays.copyOf(tags, positions.length);
                }
                positions[others] = i;
                tags[others++] = tag;
            } else {
                entries[i] = PlainForm.readValue(tag, in);
            }
        }
        if (others == 0) {
            if (in.available() != 0) {
                throw new StreamCorruptedException(in.available() + " bytes after the values");
            }
            return Arrays.asList(entries);
        }
        Object[] stream;
        try {
            Object read = serialization.read(Payload.fromBytes(in.rest()));
            if (!(read instanceof Object[] array) || array.length != others) {
                throw new StreamCorruptedException("the values' stream does not hold " + others + " entries");
            }
            stream = array;
        } catch (Serialization.ReadException e) {
            for (int j = 0; j < others; j++) {
                entries[positions[j]] = unreadable.entry(positions[j], e.getMessage());
            }
            return Arrays.asList(entries);
        }
        for (int j = 0; j < others; j++) {
            if (tags[j] == FAILED && !(stream[j] instanceof Failure)) {
                throw new StreamCorruptedException("entry " + positions[j] + " is no failure");
            }
            entries[positions[j]] = stream[j];
        }
        return Arrays.asList(entries);
    }
}
