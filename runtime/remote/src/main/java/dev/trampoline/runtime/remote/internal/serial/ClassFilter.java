package dev.trampoline.runtime.remote.internal.serial;

import java.io.ObjectInputFilter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleWiring;

/**
 * Decides which classes a call, result or exception may create when it is read: classes of the bundles of
 * this framework (which, in a child, are exactly the snapshot's), classes of packages the host shares through
 * the system bundle, JDK classes of an allow-list, and JDK exceptions; within limits on depth, array length,
 * references and total bytes. The first class it rejects is kept, to name it in the error.
 */
public final class ClassFilter implements ObjectInputFilter {

    /** Framework property: more allowed JDK/host classes, comma separated ({@code pkg.*}, {@code pkg.**}, names). */
    public static final String ALLOW_PROPERTY = "trampoline.remote.allow";

    static final List<String> DEFAULT_ALLOW = List.of("java.lang.*", "java.lang.invoke.SerializedLambda",
            "java.util.*", "java.util.concurrent.**", "java.util.regex.Pattern", "java.time.**", "java.math.*",
            "java.net.URI", "java.net.URL", "java.net.InetAddress", "java.net.Inet4Address",
            "java.net.Inet6Address", "java.io.File", "java.text.*");

    public record Limits(long maxDepth, long maxArrayLength, long maxReferences, long maxBytes) {
        public static final Limits DEFAULT = new Limits(200, 512L * 1024 * 1024, 10_000_000, 2L * 1024 * 1024 * 1024);
    }

    private final List<String> allow;
    private final Set<String> hostPackages;
    private final Limits limits;
    /** The payload this filter reads; no array may claim more elements than it carries. */
    private final long payloadBytes;
    private volatile String rejected;

    private ClassFilter(List<String> allow, Set<String> hostPackages, Limits limits) {
        this(allow, hostPackages, limits, Long.MAX_VALUE);
    }

    private ClassFilter(List<String> allow, Set<String> hostPackages, Limits limits, long payloadBytes) {
        this.allow = allow;
        this.hostPackages = hostPackages;
        this.limits = limits;
        this.payloadBytes = payloadBytes;
    }

    /** A filter from explicit rules (the framework's are read by {@link #forFramework}). */
    static ClassFilter of(List<String> allow, Set<String> hostPackages, Limits limits) {
        return new ClassFilter(List.copyOf(allow), Set.copyOf(hostPackages), limits);
    }

    /** A new filter with the same rules, for one stream: each read keeps its own first rejected class. */
    ClassFilter fresh() {
        return new ClassFilter(allow, hostPackages, limits);
    }

    /**
     * {@link #fresh()}, for a payload of {@code payloadBytes}: an array (or a collection's table) is allocated
     * from the length the stream claims before its elements are read, so a length the payload cannot carry (a
     * byte at least for each element, the element's size for primitives) is refused, and a few bytes cannot
     * make the reader allocate up to {@link Limits#maxArrayLength()} elements.
     */
    ClassFilter fresh(long payloadBytes) {
        return new ClassFilter(allow, hostPackages, limits, payloadBytes);
    }

    /**
     * A filter for reading in the framework of {@code context}. Computing the rules walks the system bundle's
     * exports, so callers keep one and take {@link #fresh()} copies per stream.
     */
    public static ClassFilter forFramework(BundleContext context, Limits limits) {
        List<String> allow = new ArrayList<>(DEFAULT_ALLOW);
        String extra = context.getProperty(ALLOW_PROPERTY);
        if (extra != null) {
            for (String s : extra.split(",")) {
                if (!s.isBlank()) {
                    allow.add(s.trim());
                }
            }
        }
        Set<String> host = new HashSet<>();
        BundleWiring system = context.getBundle(0).adapt(BundleWiring.class);
        if (system != null) {
            for (BundleCapability c : system.getCapabilities("osgi.wiring.package")) {
                host.add(String.valueOf(c.getAttributes().get("osgi.wiring.package")));
            }
        }
        return new ClassFilter(List.copyOf(allow), host, limits);
    }

    /** The first class this filter rejected, or null. */
    public String rejectedClass() {
        return rejected;
    }

    @Override
    public Status checkInput(FilterInfo info) {
        if (info.depth() > limits.maxDepth() || info.references() > limits.maxReferences()
                || info.streamBytes() > limits.maxBytes() || info.arrayLength() > limits.maxArrayLength()
                || (info.arrayLength() > 0 && info.arrayLength() > payloadBytes / elementBytes(info.serialClass()))) {
            rejected = "limits exceeded (depth " + info.depth() + ", array length " + info.arrayLength()
                    + ", references " + info.references() + ", bytes " + info.streamBytes() + ")";
            return Status.REJECTED;
        }
        Class<?> cls = info.serialClass();
        if (cls == null) {
            return Status.UNDECIDED;
        }
        if (isAllowed(cls)) {
            return Status.ALLOWED;
        }
        if (rejected == null) {
            rejected = cls.getName();
        }
        return Status.REJECTED;
    }

    /** The fewest bytes an element of {@code arrayClass} takes in a payload. */
    private static long elementBytes(Class<?> arrayClass) {
        Class<?> c = arrayClass == null ? null : arrayClass.getComponentType();
        if (c == long.class || c == double.class) {
            return 8;
        }
        if (c == int.class || c == float.class) {
            return 4;
        }
        return c == char.class || c == short.class ? 2 : 1;
    }

    boolean isAllowed(Class<?> cls) {
        while (cls.isArray()) {
            cls = cls.getComponentType();
        }
        if (cls.isPrimitive() || cls == BlobRef.class) {
            return true;
        }
        ClassLoader loader = cls.getClassLoader();
        boolean jdk = loader == null || loader == ClassLoader.getPlatformClassLoader();
        if (!jdk) {
            Bundle b = FrameworkUtil.getBundle(cls);
            if (b != null && b.getBundleId() != 0) {
                return true; // a bundle of this framework
            }
            if (hostPackages.contains(cls.getPackageName())) {
                return true; // shared by the host through the system bundle
            }
            return matchesAllowList(cls.getName());
        }
        return Throwable.class.isAssignableFrom(cls) || matchesAllowList(cls.getName());
    }

    private boolean matchesAllowList(String className) {
        return matches(allow, className);
    }

    /** Whether {@code className} matches a rule: {@code pkg.*} (that package), {@code pkg.**} (and below), a name. */
    static boolean matches(List<String> allow, String className) {
        int dot = className.lastIndexOf('.');
        String pkg = dot < 0 ? "" : className.substring(0, dot);
        for (String rule : allow) {
            if (rule.endsWith(".**")) {
                String prefix = rule.substring(0, rule.length() - 3);
                if (pkg.equals(prefix) || pkg.startsWith(prefix + ".")) {
                    return true;
                }
            } else if (rule.endsWith(".*")) {
                if (pkg.equals(rule.substring(0, rule.length() - 2))) {
                    return true;
                }
            } else if (rule.equals(className)) {
                return true;
            }
        }
        return false;
    }
}
