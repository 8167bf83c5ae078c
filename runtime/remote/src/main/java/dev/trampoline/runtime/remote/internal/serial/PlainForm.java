package dev.trampoline.runtime.remote.internal.serial;

import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.StreamCorruptedException;
import java.net.MalformedURLException;
import java.net.URL;
import java.util.List;

import dev.trampoline.runtime.remote.internal.wire.CallRequest;
import dev.trampoline.runtime.remote.internal.wire.MethodCall;
import dev.trampoline.runtime.remote.internal.wire.Payload;
import dev.trampoline.runtime.remote.internal.wire.ServiceSelector;

/**
 * A compact form, without Java serialization, for what most calls carry: a method call (from {@code invoke},
 * the shell or a proxy) whose arguments are all plain values, and a plain result. A plain value is null, a
 * string of at most {@value #MAX_STRING} chars, a boxed primitive, or a {@link URL} (as its external form).
 * <p>
 * Why: for such a call, Java serialization spent most of its time on class descriptors (those of the call
 * request, the method call, the selector, the arrays), written, read, resolved and filtered on every call. In
 * a profile of a child serving small calls, reading them took 40% of its CPU on the call path.
 * <p>
 * Everything else (functions, tasks, other values, failures) goes through Java serialization. Reading this form
 * creates only strings, boxed primitives, URLs and the wire classes, and checks each count against the bytes
 * left, so it needs no class filter.
 * <p>
 * A URL is here because Java serialization no longer carries one: the class filter refuses {@code java.net.URL}
 * (a hash map of URLs resolves their host names while it is read). Here it is its text, parsed again with
 * {@code new URL(text)}, which resolves nothing; so a service method taking a URL still works from
 * {@code invoke} and {@code tramp:call}.
 */
final class PlainForm {

    /** The form's first byte; a Java serialization stream starts with 0xAC. */
    static final byte MARK = 0x01;
    /** writeUTF takes at most 65,535 bytes, and a char takes at most three. */
    static final int MAX_STRING = 65_535 / 3;
    /** The most argument chars one call may carry in this form. */
    static final int MAX_CHARS = 1 << 20;

    private static final byte VALUE = 1;
    private static final byte CALL = 2;

    private static final byte NULL = 0;
    private static final byte STRING = 1;
    private static final byte INT = 2;
    private static final byte LONG = 3;
    private static final byte BOOLEAN = 4;
    private static final byte DOUBLE = 5;
    private static final byte FLOAT = 6;
    private static final byte SHORT = 7;
    private static final byte BYTE = 8;
    private static final byte CHAR = 9;
    private static final byte URL_TEXT = 10;

    private static final List<Class<?>> BOXES = List.of(Integer.class, Long.class, Boolean.class, Double.class,
            Float.class, Short.class, Byte.class, Character.class);

    private PlainForm() {
    }

    /**
     * Whether {@code value} can be written in this form: a plain value, or a method call with plain arguments
     * of at most {@value #MAX_CHARS} chars in all (this form writes a string each time it appears, where Java
     * serialization refers back to it: many references to one long string are for the latter).
     */
    static boolean fits(Object value) {
        if (isPlain(value)) {
            return true;
        }
        if (!(value instanceof CallRequest request) || !(request.action() instanceof MethodCall call)) {
            return false;
        }
        ServiceSelector s = request.selector();
        if (s != null && !(fitsAll(s.objectClass()) && fitsString(s.bundleSymbolicName())
                && fitsString(s.bundleVersion()) && fitsString(s.filter()) && fitsString(s.servicePid()))) {
            return false;
        }
        if (call.name() == null || !fitsString(call.name())
                || (call.parameterTypes() != null && !fitsAll(call.parameterTypes()))) {
            return false;
        }
        if (call.arguments() != null) {
            long chars = 0;
            for (Object a : call.arguments()) {
                if (!isPlain(a)) {
                    return false;
                }
                chars += a instanceof String text ? text.length()
                        : a instanceof URL url ? url.toExternalForm().length() : 1;
                if (chars > MAX_CHARS) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether {@code value} alone is a plain value (see the class comment). */
    static boolean isPlain(Object value) {
        if (value == null || value instanceof Integer || value instanceof Long || value instanceof Double) {
            return true; // the common ones first: a bulk call asks once per input
        }
        if (value instanceof URL url) {
            return url.toExternalForm().length() <= MAX_STRING;
        }
        return value instanceof String s ? s.length() <= MAX_STRING : BOXES.contains(value.getClass());
    }

    private static boolean fitsString(String s) {
        return s == null || s.length() <= MAX_STRING;
    }

    private static boolean fitsAll(String[] strings) {
        if (strings == null) {
            return false;
        }
        for (String s : strings) {
            if (s == null || s.length() > MAX_STRING) {
                return false;
            }
        }
        return true;
    }

    /** Writes {@code value}, which {@link #fits} this form. */
    static Payload write(Object value) {
        Bytes bytes = new Bytes();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(MARK);
            if (value instanceof CallRequest request) {
                out.writeByte(CALL);
                writeCall(request, out);
            } else {
                out.writeByte(VALUE);
                writeValue(value, out);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // in memory: does not happen
        }
        return bytes.payload();
    }

    private static void writeCall(CallRequest request, DataOutputStream out) throws IOException {
        out.writeLong(request.serviceWaitMillis());
        ServiceSelector s = request.selector();
        out.writeBoolean(s != null);
        if (s != null) {
            writeStrings(s.objectClass(), out);
            writeNullable(s.bundleSymbolicName(), out);
            writeNullable(s.bundleVersion(), out);
            writeNullable(s.filter(), out);
            writeNullable(s.servicePid(), out);
        }
        MethodCall call = (MethodCall) request.action();
        out.writeUTF(call.name());
        out.writeBoolean(call.parameterTypes() != null);
        if (call.parameterTypes() != null) {
            writeStrings(call.parameterTypes(), out);
        }
        Object[] arguments = call.arguments();
        out.writeInt(arguments == null ? -1 : arguments.length);
        if (arguments != null) {
            for (Object a : arguments) {
                writeValue(a, out);
            }
        }
    }

    private static void writeStrings(String[] strings, DataOutputStream out) throws IOException {
        out.writeInt(strings.length);
        for (String s : strings) {
            out.writeUTF(s);
        }
    }

    private static void writeNullable(String s, DataOutputStream out) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    /** Writes a plain value: its tag (below 16), then its data. */
    static void writeValue(Object v, DataOutput out) throws IOException {
        if (v == null) {
            out.writeByte(NULL);
        } else if (v instanceof String s) {
            out.writeByte(STRING);
            out.writeUTF(s);
        } else if (v instanceof Integer i) {
            out.writeByte(INT);
            out.writeInt(i);
        } else if (v instanceof Long l) {
            out.writeByte(LONG);
            out.writeLong(l);
        } else if (v instanceof Boolean b) {
            out.writeByte(BOOLEAN);
            out.writeBoolean(b);
        } else if (v instanceof Double d) {
            out.writeByte(DOUBLE);
            out.writeDouble(d);
        } else if (v instanceof Float f) {
            out.writeByte(FLOAT);
            out.writeFloat(f);
        } else if (v instanceof Short s) {
            out.writeByte(SHORT);
            out.writeShort(s);
        } else if (v instanceof Byte b) {
            out.writeByte(BYTE);
            out.writeByte(b);
        } else if (v instanceof Character c) {
            out.writeByte(CHAR);
            out.writeChar(c);
        } else if (v instanceof URL url) {
            out.writeByte(URL_TEXT);
            out.writeUTF(url.toExternalForm());
        } else {
            throw new IllegalArgumentException("not a plain value: " + v.getClass().getName());
        }
    }

    /** Whether {@code payload} is in this form (else it is a Java serialization stream). */
    static boolean isIn(Payload payload) {
        return payload.blobCount() == 0 && payload.firstByte() == MARK;
    }

    /** Reads what {@link #write} wrote; anything else is an {@link IOException}. */
    static Object read(Payload payload) throws IOException {
        InputStream stream = payload.stream();
        DataInputStream in = new DataInputStream(stream);
        if (in.readByte() != MARK) {
            throw new StreamCorruptedException("not in the plain form");
        }
        byte kind = in.readByte();
        Object value = switch (kind) {
            case VALUE -> readValue(in);
            case CALL -> readCall(in);
            default -> throw new StreamCorruptedException("unknown kind " + kind + " in the plain form");
        };
        if (in.read() >= 0) {
            throw new StreamCorruptedException("bytes after the end of the plain form");
        }
        return value;
    }

    private static CallRequest readCall(DataInputStream in) throws IOException {
        long serviceWait = in.readLong();
        ServiceSelector selector = null;
        if (in.readBoolean()) {
            selector = new ServiceSelector(readStrings(in), readNullable(in), readNullable(in), readNullable(in),
                    readNullable(in));
        }
        String name = in.readUTF();
        String[] types = in.readBoolean() ? readStrings(in) : null;
        int count = in.readInt();
        Object[] arguments = null;
        if (count >= 0) {
            arguments = new Object[checkedCount(count, in)];
            for (int i = 0; i < count; i++) {
                arguments[i] = readValue(in);
            }
        }
        return new CallRequest(selector, new MethodCall(name, types, arguments), serviceWait);
    }

    private static String[] readStrings(DataInputStream in) throws IOException {
        String[] strings = new String[checkedCount(in.readInt(), in)];
        for (int i = 0; i < strings.length; i++) {
            strings[i] = in.readUTF();
        }
        return strings;
    }

    /** A count no larger than the bytes left (each element takes one at least): a corrupt one allocates nothing. */
    private static int checkedCount(int count, DataInputStream in) throws IOException {
        if (count < 0 || count > in.available()) {
            throw new StreamCorruptedException("count " + count + " with " + in.available() + " bytes left");
        }
        return count;
    }

    private static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private static Object readValue(DataInput in) throws IOException {
        return readValue(in.readByte(), in);
    }

    /** Reads the data of a plain value whose tag {@code tag} was read already. */
    static Object readValue(byte tag, DataInput in) throws IOException {
        return switch (tag) {
            case NULL -> null;
            case STRING -> in.readUTF();
            case INT -> in.readInt();
            case LONG -> in.readLong();
            case BOOLEAN -> in.readBoolean();
            case DOUBLE -> in.readDouble();
            case FLOAT -> in.readFloat();
            case SHORT -> in.readShort();
            case BYTE -> in.readByte();
            case CHAR -> in.readChar();
            case URL_TEXT -> url(in.readUTF());
            default -> throw new StreamCorruptedException("unknown value tag " + tag + " in the plain form");
        };
    }

    /**
     * Whether a value with {@code tag} reads as an equal one whenever its bytes are read again: all but a URL,
     * whose parsing may depend on the stream handlers the framework has at that moment.
     */
    static boolean readsTheSameLater(byte tag) {
        return tag != URL_TEXT;
    }

    /**
     * Skips the data of a plain value whose tag {@code tag} was read already, checking it as {@link #readValue}
     * would: text is decoded (and a URL parsed) and dropped, so that a value skipped now reads without an error
     * later.
     */
    static void skipValue(byte tag, ByteSource in) throws IOException {
        int width = switch (tag) {
            case NULL -> 0;
            case BOOLEAN, BYTE -> 1;
            case SHORT, CHAR -> 2;
            case INT, FLOAT -> 4;
            case LONG, DOUBLE -> 8;
            case STRING, URL_TEXT -> -1;
            default -> throw new StreamCorruptedException("unknown value tag " + tag + " in the plain form");
        };
        if (width < 0) {
            readValue(tag, in);
        } else if (in.skipBytes(width) != width) {
            throw new EOFException("the values end inside a value");
        }
    }

    /** Parses {@code text} as {@code new URL} does: the host name stays text, nothing is looked up. */
    private static URL url(String text) throws MalformedURLException {
        return new URL(text);
    }

    /** The bytes, handed to the payload without the copy {@code toByteArray} makes. */
    private static final class Bytes extends ByteArrayOutputStream {
        Bytes() {
            super(128);
        }

        Payload payload() {
            return new Payload(buf, count, List.of());
        }
    }
}
