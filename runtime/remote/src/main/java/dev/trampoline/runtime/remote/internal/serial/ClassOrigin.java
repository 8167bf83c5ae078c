package dev.trampoline.runtime.remote.internal.serial;

import java.lang.reflect.Array;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;

/**
 * Where a class comes from, as written next to its descriptor in a stream: {@code ""} for the JDK,
 * {@value #HOST} for the host's class path (shared through the system bundle), else
 * {@code symbolicName;version} of the bundle that defines it. Reading resolves the same origin in the
 * reader's framework, where that bundle is installed too.
 */
public final class ClassOrigin {

    static final String JDK = "";
    static final String HOST = "@host";

    private ClassOrigin() {
    }

    static String of(Class<?> cls) {
        Class<?> c = cls;
        while (c.isArray()) {
            c = c.getComponentType();
        }
        if (c.isPrimitive()) {
            return JDK;
        }
        ClassLoader loader = c.getClassLoader();
        if (loader == null || loader == ClassLoader.getPlatformClassLoader()) {
            return JDK;
        }
        Bundle b = FrameworkUtil.getBundle(c);
        if (b == null || b.getBundleId() == 0) {
            return HOST;
        }
        return b.getSymbolicName() + ";" + b.getVersion();
    }

    /**
     * Loads classes by origin in one framework, remembering which bundle an origin named (a bundle that is
     * uninstalled or updated to another version is looked up again).
     */
    static final class Resolver {
        private final BundleContext context;
        private final java.util.Map<String, Bundle> bundles = new java.util.concurrent.ConcurrentHashMap<>();

        Resolver(BundleContext context) {
            this.context = context;
        }

        Class<?> load(String name, String origin) throws ClassNotFoundException {
            return ClassOrigin.load(name, origin, context, this);
        }

        Bundle bundle(String bsn, String version, String origin) {
            Bundle cached = bundles.get(origin);
            if (cached != null && cached.getState() != Bundle.UNINSTALLED && bsn.equals(cached.getSymbolicName())
                    && version.equals(cached.getVersion().toString())) {
                return cached;
            }
            for (Bundle b : context.getBundles()) {
                if (bsn.equals(b.getSymbolicName()) && version.equals(b.getVersion().toString())
                        && b.getState() != Bundle.UNINSTALLED) {
                    bundles.put(origin, b);
                    return b;
                }
            }
            return null;
        }
    }

    /** Loads {@code name} (a class or array name) from {@code origin} in the framework of {@code context}. */
    static Class<?> load(String name, String origin, BundleContext context, Resolver resolver)
            throws ClassNotFoundException {
        int dims = 0;
        while (name.charAt(dims) == '[') {
            dims++;
        }
        if (dims == 0) {
            return loadPlain(name, origin, context, resolver);
        }
        String element = name.substring(dims);
        Class<?> component = switch (element) {
            case "Z" -> boolean.class;
            case "B" -> byte.class;
            case "C" -> char.class;
            case "S" -> short.class;
            case "I" -> int.class;
            case "J" -> long.class;
            case "F" -> float.class;
            case "D" -> double.class;
            default -> loadPlain(element.substring(1, element.length() - 1), origin, context, resolver);
        };
        return Array.newInstance(component, new int[dims]).getClass();
    }

    private static Class<?> loadPlain(String name, String origin, BundleContext context, Resolver resolver)
            throws ClassNotFoundException {
        if (JDK.equals(origin)) {
            return Class.forName(name, false, ClassLoader.getPlatformClassLoader());
        }
        if (HOST.equals(origin)) {
            return context.getBundle(0).loadClass(name);
        }
        int semicolon = origin.indexOf(';');
        String bsn = origin.substring(0, semicolon);
        String version = origin.substring(semicolon + 1);
        Bundle b = resolver.bundle(bsn, version, origin);
        if (b != null) {
            return b.loadClass(name);
        }
        throw new ClassNotFoundException(name + " (from bundle " + bsn + " " + version
                + ", which is not installed here)");
    }
}
