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
 * Both sides go one entry at a time ({@link Writer}, {@link Reader}), so that a child runs a chunk input by
 * input without holding all its inputs and results as objects: with the small heap children keep, a chunk of a
 * hundred thousand boxed values alive at once cost a full collection every few chunks.
 * <p>
 * A value that cannot be serialized spoils only its own entry: it is replaced by the failure {@link Unsendable}
 * makes of it. A stream that cannot be read (a class refused) spoils only the entries that were in it.
 * <p>
 * Layout: {@code int count, int streamLength}, the stream of an {@code Object[]} of the entries that are not
 * plain, in entry order ({@link Payload#toBytes} form; empty if none); then per entry a tag: {@link PlainForm}'s
 * tag followed by the value's data, or {@link #OTHER} for the stream's next element.
 */
public final class ValueBatch {

    /** The entry is the stream's next element. */
    static final byte OTHER = 100;
    /** The count and the stream's length. */
    private static final int HEADER = 8;

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
        Writer out = new Writer(serialization, entries.size(), unsendable);
        for (Object e : entries) {
            out.add(e);
        }
        return out.finish();
    }

    /**
     * The entries {@link #write} wrote (the array is the caller's), checked but not turned into objects: each plain
     * value is read from the array whenever it is asked for (plain values are immutable, so each read gives an
     * equal one); the others (values and {@link Failure}s) are read at once, and each entry of a Java stream that
     * cannot be read is what {@code unreadable} makes of it. Why: the parent keeps a bulk call's answers until the
     * caller takes them, and a million small values kept as objects meanwhile were copied by every young
     * collection of the parent's heap, where one array each is not.
     * <p>
     * A layout that does not add up, or that holds another number of entries than {@code expected}, is an
     * {@link IOException}, raised before anything is allocated for the entries: the bytes may come from a child,
     * which must not make this side allocate more than what it sent and was asked for.
     */
    public static Indexed index(Serialization serialization, byte[] bytes, int expected, Unreadable unreadable)
            throws IOException {
        Reader in = new Reader(serialization, bytes, unreadable);
        if (in.count() != expected) {
            throw new StreamCorruptedException(in.count() + " entries where " + expected + " were expected");
        }
        // Only the tags and plain values are kept: a Java stream before them is read already, and its bytes go.
        int base = in.position() == HEADER ? 0 : in.position();
        int[] offsets = new int[in.count()];
        List<Object> kept = new ArrayList<>(0);
        for (int i = 0; i < offsets.length; i++) {
            int at = in.skip();
            if (at >= 0 && PlainForm.readsTheSameLater(bytes[at])) {
                offsets[i] = at - base;
                continue;
            }
            if (at >= 0) {
                ByteSource value = new ByteSource(bytes, at);
                kept.add(PlainForm.readValue(value.readByte(), value));
            } else {
                kept.add(in.other(i, -at - 1));
            }
            offsets[i] = -kept.size();
        }
        in.end();
        byte[] plain = base == 0 ? bytes : Arrays.copyOfRange(bytes, base, bytes.length);
        return new Indexed(plain, offsets, kept.toArray());
    }

    /**
     * Entries kept as they came ({@link #index}): plain ones read as they are asked for, so each read gives an
     * equal value, not the same object; the others, and plain ones whose reading could change (a URL, whose
     * parsing may depend on the framework's stream handlers), were read once, when indexed. Safe to read from
     * several threads: nothing in it changes.
     */
    public static final class Indexed {
        private final byte[] bytes;
        /** Per entry: where its plain value's tag is in {@code bytes}, or {@code -(k + 1)} for {@code kept[k]}. */
        private final int[] offsets;
        private final Object[] kept;

        private Indexed(byte[] bytes, int[] offsets, Object[] kept) {
            this.bytes = bytes;
            this.offsets = offsets;
            this.kept = kept;
        }

        /** How many entries there are. */
        public int size() {
            return offsets.length;
        }

        /** Whether entry {@code i} is read as it is asked for: a plain value, never a {@link Failure}. */
        public boolean isPlain(int i) {
            return offsets[i] >= 0;
        }

        /** Entry {@code i}: a value, a {@link Failure}, or what {@link Unreadable} made of an unreadable one. */
        public Object get(int i) {
            int at = offsets[i];
            if (at < 0) {
                return kept[-at - 1];
            }
            ByteSource in = new ByteSource(bytes, at);
            try {
                return PlainForm.readValue(in.readByte(), in);
            } catch (IOException e) { // it was read once when indexed: the same bytes read the same way
                throw new IllegalStateException("entry " + i + " no longer reads", e);
            }
        }
    }

    /** Writes entries one at a time: plain ones at once, the others kept for the stream. */
    public static final class Writer {
        private final Serialization serialization;
        private final Unsendable unsendable;
        private final ByteSink tags;
        private final List<Object> others = new ArrayList<>(0);
        private int[] positions = new int[0];
        private int count;

        /** A writer for about {@code expected} entries. */
        public Writer(Serialization serialization, int expected, Unsendable unsendable) {
            this.serialization = serialization;
            this.unsendable = unsendable;
            this.tags = new ByteSink(HEADER + expected * 5); // an int each: one array, never grown nor copied
            tags.writeInt(0); // the count and the stream's length, set by finish
            tags.writeInt(0);
        }

        /** Adds the next entry: a value, or a {@link Failure}. */
        public void add(Object entry) {
            int position = count++;
            if (!(entry instanceof Failure) && PlainForm.isPlain(entry)) {
                try {
                    PlainForm.writeValue(entry, tags);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e); // in memory: does not happen
                }
                return;
            }
            if (others.size() == positions.length) {
                positions = Arrays.copyOf(positions, Math.max(8, 2 * positions.length));
            }
            positions[others.size()] = position;
            others.add(entry);
            tags.writeByte(OTHER);
        }

        /** The entries added, in one array. */
        public byte[] finish() {
            tags.putInt(0, count);
            if (others.isEmpty()) {
                return tags.toByteArray();
            }
            byte[] stream = stream();
            tags.putInt(4, stream.length);
            byte[] written = tags.toByteArray();
            byte[] all = new byte[written.length + stream.length];
            System.arraycopy(written, 0, all, 0, HEADER);
            System.arraycopy(stream, 0, all, HEADER, stream.length);
            System.arraycopy(written, HEADER, all, HEADER + stream.length, written.length - HEADER);
            return all;
        }

        /**
         * The Java stream of the entries that are not plain; if one of them cannot be serialized, each is tried
         * alone and those that fail are replaced by their failure.
         */
        private byte[] stream() {
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
    }

    /** Reads entries one at a time; the stream of the others is read (through the filter) at the start. */
    public static final class Reader {
        private final ByteSource in;
        private final int count;
        private final Object[] others;
        private final String unreadable;
        private final Unreadable replacement;
        private int position;
        private int nextOther;

        /** A reader of {@code bytes}; a header that does not add up is an {@link IOException}. */
        public Reader(Serialization serialization, byte[] bytes, Unreadable replacement) throws IOException {
            this.in = new ByteSource(bytes);
            this.replacement = replacement;
            this.count = in.readInt();
            int streamLength = in.readInt();
            if (count < 0 || count > in.available() || streamLength < 0 || streamLength > in.available()) {
                throw new StreamCorruptedException("count " + count + " and stream length " + streamLength + " with "
                        + in.available() + " bytes left");
            }
            Object[] read = null;
            String why = null;
            if (streamLength > 0) {
                byte[] stream = new byte[streamLength];
                in.readFully(stream);
                try {
                    if (!(serialization.read(Payload.fromBytes(stream)) instanceof Object[] array)) {
                        throw new StreamCorruptedException("the values' stream holds no array");
                    }
                    read = array;
                } catch (Serialization.ReadException e) {
                    why = e.getMessage();
                }
            }
            this.others = read == null ? new Object[0] : read;
            this.unreadable = why;
        }

        /** How many entries there are. */
        public int count() {
            return count;
        }

        /** The next entry: a value, a {@link Failure}, or what {@link Unreadable} made of an unreadable one. */
        public Object next() throws IOException {
            if (position >= count) {
                throw new StreamCorruptedException("no entry after " + count);
            }
            int at = position++;
            byte tag = in.readByte();
            if (tag != OTHER) {
                return PlainForm.readValue(tag, in);
            }
            if (unreadable != null) {
                return replacement.entry(at, unreadable);
            }
            if (nextOther >= others.length) {
                throw new StreamCorruptedException("entry " + at + " has no element in the values' stream");
            }
            return others[nextOther++];
        }

        /**
         * Checks the next entry and goes past it without making its value: for a plain value where its tag is,
         * else {@code -(k + 1)} for the stream's element k.
         */
        int skip() throws IOException {
            if (position >= count) {
                throw new StreamCorruptedException("no entry after " + count);
            }
            position++;
            int at = in.position();
            byte tag = in.readByte();
            if (tag != OTHER) {
                PlainForm.skipValue(tag, in);
                return at;
            }
            if (unreadable == null && nextOther >= others.length) {
                throw new StreamCorruptedException("entry " + (position - 1) + " has no element in the values' stream");
            }
            return -(++nextOther);
        }

        /** Where the next entry's tag is. */
        private int position() {
            return in.position();
        }

        /** The stream's element {@code k}, entry {@code position}: for {@link Indexed}. */
        private Object other(int position, int k) {
            return unreadable != null ? replacement.entry(position, unreadable) : others[k];
        }

        /** Checks that every entry was read and nothing follows. */
        public void end() throws IOException {
            if (position != count || in.available() != 0 || (unreadable == null && nextOther != others.length)) {
                throw new StreamCorruptedException("the values do not end after " + count + " entries");
            }
        }
    }
}
