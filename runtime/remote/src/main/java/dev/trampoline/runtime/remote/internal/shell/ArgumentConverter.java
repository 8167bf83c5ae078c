package dev.trampoline.runtime.remote.internal.shell;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the words typed after {@code tramp:call SERVICE METHOD} into arguments of the service's method:
 * chooses the public method by name and number of arguments, and converts each word to its parameter type
 * (strings, primitives and their wrappers, enums, and any type with a static {@code valueOf(String)} or
 * {@code parse(CharSequence)}, or a constructor taking a string).
 */
final class ArgumentConverter {

    record Converted(Method method, Object[] arguments) {
    }

    private ArgumentConverter() {
    }

    static Converted convert(Class<?> serviceClass, String name, List<String> words) {
        java.util.Set<String> problems = new java.util.LinkedHashSet<>();
        for (Method m : candidates(serviceClass)) {
            if (!m.getName().equals(name) || m.getParameterCount() != words.size()) {
                continue;
            }
            try {
                Object[] args = new Object[words.size()];
                for (int i = 0; i < args.length; i++) {
                    args[i] = convert(words.get(i), m.getParameterTypes()[i]);
                }
                return new Converted(m, args);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        throw new IllegalArgumentException("No method " + name + " with " + words.size() + " argument(s) on "
                + serviceClass.getName() + " accepts " + words + (problems.isEmpty() ? "" : ": " + problems));
    }

    private static List<Method> candidates(Class<?> type) {
        List<Method> result = new ArrayList<>();
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                if (Modifier.isPublic(i.getModifiers())) {
                    result.addAll(List.of(i.getMethods()));
                }
            }
        }
        if (Modifier.isPublic(type.getModifiers())) {
            result.addAll(List.of(type.getMethods()));
        }
        return result;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static Object convert(String word, Class<?> type) {
        try {
            if (type == String.class || type == Object.class || type == CharSequence.class) {
                return word;
            }
            if (type == int.class || type == Integer.class) {
                return Integer.valueOf(word);
            }
            if (type == long.class || type == Long.class) {
                return Long.valueOf(word);
            }
            if (type == boolean.class || type == Boolean.class) {
                if (!word.equalsIgnoreCase("true") && !word.equalsIgnoreCase("false")) {
                    throw new IllegalArgumentException("'" + word + "' is not a boolean");
                }
                return Boolean.valueOf(word);
            }
            if (type == double.class || type == Double.class) {
                return Double.valueOf(word);
            }
            if (type == float.class || type == Float.class) {
                return Float.valueOf(word);
            }
            if (type == short.class || type == Short.class) {
                return Short.valueOf(word);
            }
            if (type == byte.class || type == Byte.class) {
                return Byte.valueOf(word);
            }
            if (type == char.class || type == Character.class) {
                if (word.length() != 1) {
                    throw new IllegalArgumentException("'" + word + "' is not one character");
                }
                return word.charAt(0);
            }
            if (type.isEnum()) {
                return Enum.valueOf((Class) type, word);
            }
            for (Method factory : type.getMethods()) { // valueOf(String), parse(CharSequence) as java.time has
                boolean named = factory.getName().equals("valueOf") || factory.getName().equals("parse");
                if (named && Modifier.isStatic(factory.getModifiers()) && factory.getParameterCount() == 1
                        && factory.getParameterTypes()[0].isAssignableFrom(String.class)
                        && type.isAssignableFrom(factory.getReturnType())) {
                    return factory.invoke(null, word);
                }
            }
            Constructor<?> c = type.getConstructor(String.class);
            return c.newInstance(word);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + word + "' is not a " + type.getSimpleName() + ": "
                    + e.getMessage());
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw new IllegalArgumentException("'" + word + "' is not a " + type.getSimpleName() + ": "
                    + e.getCause().getMessage());
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("cannot make a " + type.getName() + " from '" + word + "'");
        }
    }
}
