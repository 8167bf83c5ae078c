package dev.trampoline.runtime.remote.internal.serial;

import java.io.Serializable;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Finds where, in an object graph, the first object of a class that is not serializable sits, as a path a
 * user can read: {@code lambda in com.example.Plugin, captured argument 1} or {@code field 'cache' of
 * com.example.Job}. Only used to explain a failure, never on the normal path.
 */
final class NonSerializablePath {

    private record Node(Object value, String path) {
    }

    private NonSerializablePath() {
    }

    /** Where in {@code root} (called {@code rootName}, "the call" say) an instance of {@code className} sits. */
    static String find(Object root, String className, String rootName) {
        Deque<Node> queue = new ArrayDeque<>();
        Map<Object, Boolean> seen = new IdentityHashMap<>();
        queue.add(new Node(root, rootName));
        while (!queue.isEmpty()) {
            Node n = queue.poll();
            Object v = n.value();
            if (v == null || seen.put(v, Boolean.TRUE) != null || seen.size() > 100_000) {
                continue;
            }
            if (v.getClass().getName().equals(className)) {
                return n.path();
            }
            SerializedLambda lambda = asSerializedLambda(v);
            if (lambda != null) {
                String where = "lambda in " + lambda.getCapturingClass().replace('/', '.');
                for (int i = 0; i < lambda.getCapturedArgCount(); i++) {
                    queue.add(new Node(lambda.getCapturedArg(i), where + ", captured value " + i + " ("
                            + describe(lambda.getCapturedArg(i)) + ")"));
                }
                continue;
            }
            if (v.getClass().isArray()) {
                if (!v.getClass().getComponentType().isPrimitive()) {
                    for (int i = 0; i < Array.getLength(v); i++) {
                        queue.add(new Node(Array.get(v, i), n.path() + "[" + i + "]"));
                    }
                }
                continue;
            }
            if (v instanceof Collection<?> c) {
                int i = 0;
                for (Object e : c) {
                    queue.add(new Node(e, n.path() + ", element " + i++));
                }
                continue;
            }
            if (v instanceof Map<?, ?> m) {
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    queue.add(new Node(e.getKey(), n.path() + ", a key"));
                    queue.add(new Node(e.getValue(), n.path() + ", value of key " + e.getKey()));
                }
                continue;
            }
            for (Class<?> c = v.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    int mod = f.getModifiers();
                    if (Modifier.isStatic(mod) || Modifier.isTransient(mod) || f.getType().isPrimitive()) {
                        continue;
                    }
                    try {
                        f.setAccessible(true);
                        queue.add(new Node(f.get(v), "field '" + f.getName() + "' of " + c.getName()
                                + (n.path().equals(rootName) ? "" : " (in " + n.path() + ")")));
                    } catch (RuntimeException | IllegalAccessException e) {
                        // a field we cannot read (module encapsulation) is not where we can point anyway
                    }
                }
            }
        }
        return null;
    }

    private static String describe(Object o) {
        return o == null ? "null" : o.getClass().getName();
    }

    private static SerializedLambda asSerializedLambda(Object o) {
        if (!(o instanceof Serializable) || !o.getClass().isSynthetic()) {
            return null;
        }
        try {
            Method writeReplace = o.getClass().getDeclaredMethod("writeReplace");
            writeReplace.setAccessible(true);
            Object replaced = writeReplace.invoke(o);
            return replaced instanceof SerializedLambda s ? s : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
