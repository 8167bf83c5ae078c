package dev.trampoline.runtime.internal.deploy;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Turns the text an operator types into a configuration value of the type the property already has (an
 * {@code Integer} stays an {@code Integer}, a {@code String[]} takes comma-separated elements), so a
 * component reading {@code int port} is not handed a {@code String}. A new property is a {@code String}.
 */
public final class TypedValues {

    private TypedValues() {
    }

    /**
     * {@code text} as a value of {@code current}'s type ({@code String} when {@code current} is null).
     *
     * @throws IllegalArgumentException naming the type, when {@code text} is not one
     */
    public static Object parse(String key, String text, Object current) {
        if (current == null || current instanceof String) {
            return text;
        }
        Class<?> type = current.getClass();
        try {
            if (type.isArray()) {
                String[] parts = split(text);
                Object array = Array.newInstance(type.getComponentType(), parts.length);
                for (int i = 0; i < parts.length; i++) {
                    Array.set(array, i, scalar(parts[i], box(type.getComponentType())));
                }
                return array;
            }
            if (current instanceof Collection<?> c) {
                Class<?> element = c.isEmpty() || c.iterator().next() == null ? String.class
                        : c.iterator().next().getClass();
                List<Object> values = new ArrayList<>();
                for (String part : split(text)) {
                    values.add(scalar(part, element));
                }
                return values;
            }
            return scalar(text, type);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Cannot set " + key + ": '" + text + "' is not a valid "
                    + typeName(current) + ", the type " + key + " has; give a valid " + typeName(current) + (type.isArray()
                    || current instanceof Collection ? " (elements separated by commas)" : "")
                    + ", or config:unset the key first to set it as text");
        }
    }

    /** The value's type as the config commands show it: {@code Integer}, {@code int[]}, {@code List}. */
    public static String typeName(Object value) {
        if (value instanceof Collection) {
            return "List";
        }
        return value.getClass().getSimpleName();
    }

    private static String[] split(String text) {
        if (text.isBlank()) {
            return new String[0];
        }
        String[] parts = text.split(",", -1);
        for (int i = 0; i < parts.length; i++) {
            parts[i] = parts[i].trim();
        }
        return parts;
    }

    private static Object scalar(String text, Class<?> type) {
        String t = text.trim();
        if (type == String.class) {
            return text;
        }
        if (type == Integer.class) {
            return Integer.valueOf(t);
        }
        if (type == Long.class) {
            return Long.valueOf(t);
        }
        if (type == Short.class) {
            return Short.valueOf(t);
        }
        if (type == Byte.class) {
            return Byte.valueOf(t);
        }
        if (type == Double.class) {
            return Double.valueOf(t);
        }
        if (type == Float.class) {
            return Float.valueOf(t);
        }
        if (type == Boolean.class) {
            String b = t.toLowerCase(Locale.ROOT);
            if (!b.equals("true") && !b.equals("false")) {
                throw new IllegalArgumentException("not a boolean");
            }
            return Boolean.valueOf(b);
        }
        if (type == Character.class) {
            if (t.length() != 1) {
                throw new IllegalArgumentException("not one character");
            }
            return t.charAt(0);
        }
        throw new IllegalArgumentException("no text form for " + type.getName());
    }

    private static Class<?> box(Class<?> type) {
        if (!type.isPrimitive()) {
            return type;
        }
        return Array.get(Array.newInstance(type, 1), 0).getClass();
    }
}
