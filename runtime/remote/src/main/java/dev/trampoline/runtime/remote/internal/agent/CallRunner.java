package dev.trampoline.runtime.remote.internal.agent;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

import org.osgi.framework.BundleContext;

import dev.trampoline.runtime.remote.RemoteFunction;
import dev.trampoline.runtime.remote.RemoteTask;
import dev.trampoline.runtime.remote.internal.serial.Serialization;
import dev.trampoline.runtime.remote.internal.wire.CallRequest;
import dev.trampoline.runtime.remote.internal.wire.Chunk;
import dev.trampoline.runtime.remote.internal.wire.MethodCall;

/** Performs one deserialized call in the child: finds the service and applies the action to it. */
final class CallRunner implements AutoCloseable {

    private final BundleContext context;
    private final ServiceFinder finder;
    /** The pid a configuration of the parent has here (see {@code ConfigurationReplica}). */
    private final java.util.function.UnaryOperator<String> localPid;

    /** Reads and writes the values of bulk calls' chunks. */
    private final Serialization serialization;

    CallRunner(BundleContext context, java.util.function.UnaryOperator<String> localPid, MissingService missing,
            Serialization serialization) {
        this.context = context;
        this.serialization = serialization;
        this.finder = new ServiceFinder(context, missing);
        this.localPid = localPid;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    Object run(CallRequest request) throws Exception {
        if (request.action() instanceof RemoteTask<?> task) {
            return task.run(context);
        }
        Object service = finder.find(request.selector().withLocalPid(localPid), request.serviceWaitMillis());
        if (request.action() instanceof RemoteFunction function) {
            return function.apply(service);
        }
        if (request.action() instanceof MethodCall call) {
            return invoke(service, call);
        }
        if (request.action() instanceof Chunk chunk) {
            return ChunkRunner.run(service, chunk, serialization);
        }
        throw new IllegalArgumentException("Unknown call action " + request.action().getClass().getName());
    }

    @Override
    public void close() {
        finder.close();
    }

    static Object invoke(Object service, MethodCall call) throws Exception {
        Object[] args = call.arguments() == null ? new Object[0] : call.arguments();
        Method method = choose(service.getClass(), call.name(), call.parameterTypes(), args);
        try {
            return method.invoke(service, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /** A public method of a public interface or class of the service, by name and argument types. */
    static Method choose(Class<?> type, String name, String[] parameterTypes, Object[] args)
            throws NoSuchMethodException {
        for (Method m : publicMethods(type)) {
            if (m.getName().equals(name) && m.getParameterCount() == args.length
                    && (parameterTypes == null ? accepts(m, args) : sameTypes(m, parameterTypes))) {
                return m;
            }
        }
        throw new NoSuchMethodException("The service " + type.getName() + " has no public method " + name + " taking "
                + args.length + " argument(s) of the given types");
    }

    private static Iterable<Method> publicMethods(Class<?> type) {
        java.util.List<Method> result = new java.util.ArrayList<>();
        // Interface methods first: the implementation class is usually not public to the caller.
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                addAll(i, result);
            }
        }
        if (Modifier.isPublic(type.getModifiers())) {
            result.addAll(java.util.List.of(type.getMethods()));
        }
        return result;
    }

    private static void addAll(Class<?> iface, java.util.List<Method> into) {
        if (Modifier.isPublic(iface.getModifiers())) {
            into.addAll(java.util.List.of(iface.getMethods()));
        }
        for (Class<?> sup : iface.getInterfaces()) {
            addAll(sup, into);
        }
    }

    private static boolean sameTypes(Method m, String[] names) {
        Class<?>[] types = m.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            if (!types[i].getName().equals(names[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean accepts(Method m, Object[] args) {
        Class<?>[] types = m.getParameterTypes();
        for (int i = 0; i < args.length; i++) {
            Class<?> t = wrap(types[i]);
            if (args[i] == null ? types[i].isPrimitive() : !t.isInstance(args[i])) {
                return false;
            }
        }
        return true;
    }

    static Class<?> wrap(Class<?> t) {
        if (!t.isPrimitive()) {
            return t;
        }
        return switch (t.getName()) {
            case "int" -> Integer.class;
            case "long" -> Long.class;
            case "boolean" -> Boolean.class;
            case "double" -> Double.class;
            case "float" -> Float.class;
            case "short" -> Short.class;
            case "byte" -> Byte.class;
            case "char" -> Character.class;
            default -> Void.class;
        };
    }
}
