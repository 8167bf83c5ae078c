package dev.trampoline.runtime.remote.internal.config;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Configurations in a compact typed form of their own, for the child's private folder and its channel: every
 * value type Configuration Admin takes (the scalars, their arrays, primitive or not, and collections of them)
 * keeps its type, and reading makes nothing but those types (no Java serialization, no class loading).
 */
public final class ConfigurationCodec {

    private static final int VERSION = 1;
    /** The scalar types, in tag order. */
    private static final List<Class<?>> SCALARS = List.of(String.class, Integer.class, Long.class, Float.class,
            Double.class, Byte.class, Short.class, Character.class, Boolean.class);
    private static final List<Class<?>> PRIMITIVES = List.of(Void.TYPE, Integer.TYPE, Long.TYPE, Float.TYPE,
            Double.TYPE, Byte.TYPE, Short.TYPE, Character.TYPE, Boolean.TYPE);
    private static final int ARRAY = 0x10;
    private static final int PRIMITIVE_ARRAY = 0x20;
    private static final int COLLECTION = 0x30;
    private static final int NULL = 0x7f;
    /** Bounds on what a reader allocates for one count or string. */
    private static final int MAX_COUNT = 1 << 20;
    private static final int MAX_STRING = 64 << 20;

    private ConfigurationCodec() {
    }

    /**
     * The configurations, encoded; a property whose value has a type outside Configuration Admin's is left
     * out and reported to {@code skipped} (pid, key).
     */
    public static byte[] encode(List<ConfigurationCopy> configurations, BiConsumer<String, String> skipped) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(VERSION);
            out.writeInt(configurations.size());
            for (ConfigurationCopy c : configurations) {
                writeString(out, c.pid());
                writeString(out, c.factoryPid());
                writeString(out, c.location());
                Map<String, Object> kept = new LinkedHashMap<>();
                c.properties().forEach((k, v) -> {
                    if (encodable(v)) {
                        kept.put(k, v);
                    } else {
                        skipped.accept(c.pid(), k);
                    }
                });
                out.writeInt(kept.size());
                for (Map.Entry<String, Object> e : kept.entrySet()) {
                    writeString(out, e.getKey());
                    writeValue(out, e.getValue());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    /** Whether {@code encoded} holds no configuration. */
    public static boolean isEmpty(byte[] encoded) {
        return encoded.length == 2 * Integer.BYTES && encoded[4] == 0 && encoded[5] == 0 && encoded[6] == 0
                && encoded[7] == 0;
    }

    public static List<ConfigurationCopy> decode(byte[] encoded) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded));
        int version = in.readInt();
        if (version != VERSION) {
            throw new IOException("configurations of format " + version + ", this runtime reads " + VERSION);
        }
        int count = count(in);
        List<ConfigurationCopy> result = new ArrayList<>(Math.min(count, 1024));
        for (int i = 0; i < count; i++) {
            String pid = readString(in);
            if (pid == null) {
                throw new IOException("a configuration without a pid");
            }
            String factoryPid = readString(in);
            String location = readString(in);
            int n = count(in);
            Map<String, Object> props = new LinkedHashMap<>();
            for (int j = 0; j < n; j++) {
                props.put(readString(in), readValue(in));
            }
            result.add(new ConfigurationCopy(pid, factoryPid, location, props));
        }
        if (in.read() != -1) {
            throw new IOException("unexpected bytes after the configurations");
        }
        return result;
    }

    static boolean encodable(Object v) {
        if (v == null || SCALARS.contains(v.getClass())) {
            return true;
        }
        if (v.getClass().isArray()) {
            Class<?> component = v.getClass().getComponentType();
            return SCALARS.contains(component) || component.isPrimitive();
        }
        if (v instanceof Collection<?> c) {
            return c.stream().allMatch(e -> e == null || SCALARS.contains(e.getClass()));
        }
        return false;
    }

    private static void writeValue(DataOutputStream out, Object v) throws IOException {
        if (v == null) {
            out.writeByte(NULL);
        } else if (v instanceof Collection<?> c) {
            out.writeByte(COLLECTION);
            out.writeInt(c.size());
            for (Object e : c) {
                writeValue(out, e);
            }
        } else if (v.getClass().isArray()) {
            Class<?> component = v.getClass().getComponentType();
            boolean primitive = component.isPrimitive();
            int tag = primitive ? PRIMITIVES.indexOf(component) : SCALARS.indexOf(component);
            out.writeByte((primitive ? PRIMITIVE_ARRAY : ARRAY) | tag);
            int length = Array.getLength(v);
            out.writeInt(length);
            for (int i = 0; i < length; i++) {
                Object e = Array.get(v, i);
                if (primitive) {
                    writeScalar(out, tag, e);
                } else {
                    out.writeBoolean(e != null);
                    if (e != null) {
                        writeScalar(out, tag, e);
                    }
                }
            }
        } else {
            int tag = SCALARS.indexOf(v.getClass());
            out.writeByte(tag);
            writeScalar(out, tag, v);
        }
    }

    private static void writeScalar(DataOutputStream out, int tag, Object v) throws IOException {
        switch (tag) {
            case 0 -> writeString(out, (String) v);
            case 1 -> out.writeInt((Integer) v);
            case 2 -> out.writeLong((Long) v);
            case 3 -> out.writeFloat((Float) v);
            case 4 -> out.writeDouble((Double) v);
            case 5 -> out.writeByte((Byte) v);
            case 6 -> out.writeShort((Short) v);
            case 7 -> out.writeChar((Character) v);
            case 8 -> out.writeBoolean((Boolean) v);
            default -> throw new IllegalArgumentException("tag " + tag);
        }
    }

    private static Object readValue(DataInputStream in) throws IOException {
        int tag = in.readUnsignedByte();
        if (tag == NULL) {
            return null;
        }
        if (tag == COLLECTION) {
            int n = count(in);
            List<Object> list = new ArrayList<>(Math.min(n, 1024));
            for (int i = 0; i < n; i++) {
                Object e = readValue(in);
                if (e != null && !SCALARS.contains(e.getClass())) {
                    throw new IOException("a collection holds only scalars");
                }
                list.add(e);
            }
            return list;
        }
        int kind = tag & 0xf0;
        int type = tag & 0x0f;
        if (type >= SCALARS.size() || kind != 0 && kind != ARRAY && kind != PRIMITIVE_ARRAY
                || kind == PRIMITIVE_ARRAY && type == 0) {
            throw new IOException("unknown value tag " + tag);
        }
        if (kind == 0) {
            return readScalar(in, type);
        }
        int length = count(in);
        boolean primitive = kind == PRIMITIVE_ARRAY;
        Object array = Array.newInstance(primitive ? PRIMITIVES.get(type) : SCALARS.get(type), length);
        for (int i = 0; i < length; i++) {
            if (primitive || in.readBoolean()) {
                Array.set(array, i, readScalar(in, type));
            }
        }
        return array;
    }

    private static Object readScalar(DataInputStream in, int type) throws IOException {
        return switch (type) {
            case 0 -> {
                String s = readString(in);
                if (s == null) {
                    throw new IOException("a null string value");
                }
                yield s;
            }
            case 1 -> in.readInt();
            case 2 -> in.readLong();
            case 3 -> in.readFloat();
            case 4 -> in.readDouble();
            case 5 -> in.readByte();
            case 6 -> in.readShort();
            case 7 -> in.readChar();
            case 8 -> in.readBoolean();
            default -> throw new IOException("unknown type " + type);
        };
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n == -1) {
            return null;
        }
        if (n < 0 || n > MAX_STRING || n > in.available()) {
            throw new IOException("a string of " + n + " bytes where " + in.available() + " remain");
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static int count(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_COUNT || n > in.available()) {
            throw new IOException("a count of " + n + " where " + in.available() + " bytes remain");
        }
        return n;
    }
}
