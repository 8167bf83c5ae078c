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
 * Decides which classes a call, result or exception may create when it is read, in this order:
 * <ol>
 * <li>the deny list ({@link GadgetRules}, then {@value #DENY_PROPERTY}) refuses known gadgets, comparators,
 * proxies and invocation handlers whatever their origin: nothing below re-allows them;</li>
 * <li>classes of the bundles of this framework (which, in a child, are exactly the snapshot's) and of packages
 * the host shares through the system bundle;</li>
 * <li>JDK classes of an allow-list ({@link #DEFAULT_ALLOW}, plus {@value #ALLOW_PROPERTY}), and JDK exceptions of
 * the packages of {@link #JDK_EXCEPTION_PACKAGES};</li>
 * </ol>
 * within limits on depth, array length, references and total bytes. The first refusal is kept, to name the
 * class and the rule in the error.
 */
public final class ClassFilter implements ObjectInputFilter {

    /** Framework property: more allowed JDK/host classes, comma separated ({@code pkg.*}, {@code pkg.**}, names). */
    public static final String ALLOW_PROPERTY = "trampoline.remote.allow";
    /** Framework property: more denied classes (any origin), in the same form; added to {@link GadgetRules}. */
    public static final String DENY_PROPERTY = "trampoline.remote.deny";

    static final List<String> DEFAULT_ALLOW = List.of("java.lang.*", "java.lang.invoke.SerializedLambda",
            "java.util.*", "java.util.concurrent.**", "java.util.regex.Pattern", "java.time.**", "java.math.*",
            "java.net.URI", "java.net.InetAddress", "java.net.Inet4Address", "java.net.Inet6Address",
            "java.io.File", "java.text.*");

    /**
     * Packages whose JDK exceptions cross (not every JDK Throwable: some, like
     * {@code javax.management.BadAttributeValueExpException}, run code of the stream while they are read). The
     * deny list still applies to them.
     */
    static final List<String> JDK_EXCEPTION_PACKAGES = List.of("java.lang.*", "java.lang.reflect.*",
            "java.lang.invoke.*", "java.lang.annotation.*", "java.io.*", "java.net.*", "java.nio.**",
            "java.util.**", "java.time.**", "java.text.*", "java.math.*", "java.sql.*", "java.security.**");

    public record Limits(long maxDepth, long maxArrayLength, long maxReferences, long maxBytes) {
        public static final Limits DEFAULT = new Limits(200, 512L * 1024 * 1024, 10_000_000, 2L * 1024 * 1024 * 1024);
    }

    /** Why a stream was refused: a class (null for a limit) and the rule that refused it. */
    public record Refusal(String className, String reason) {
        /** For the error: {@code Refused to deserialize CLASS: REASON}. */
        public String message() {
            return "Refused to deserialize " + (className == null ? "the stream" : className) + ": " + reason;
        }
    }

    private final List<String> allow;
    private final List<String> deny;
    private final Set<String> hostPackages;
    private final Limits limits;
    private volatile Refusal refusal;
    /** The payload this filter reads; no array may claim more elements than it carries. */
    private final long payloadBytes;

    private ClassFilter(List<String> allow, List<String> deny, Set<String> hostPackages, Limits limits) {
        this(allow, deny, hostPackages, limits, Long.MAX_VALUE);
    }

    private ClassFilter(List<String> allow, List<String> deny, Set<String> hostPackages, Limits limits,
            long payloadBytes) {
        this.allow = allow;
        this.deny = deny;
        this.hostPackages = hostPackages;
        this.limits = limits;
        this.payloadBytes = payloadBytes;
    }

    /** A filter from explicit rules (the framework's are read by {@link #forFramework}). */
    static ClassFilter of(List<String> allow, Set<String> hostPackages, Limits limits) {
        return of(allow, List.of(), hostPackages, limits);
    }

    static ClassFilter of(List<String> allow, List<String> deny, Set<String> hostPackages, Limits limits) {
        return new ClassFilter(List.copyOf(allow), List.copyOf(deny), Set.copyOf(hostPackages), limits);
    }

    /** A new filter with the same rules, for one stream: each read keeps its own first refusal. */
    ClassFilter fresh() {
        return new ClassFilter(allow, deny, hostPackages, limits);
    }

    /**
     * {@link #fresh()}, for a payload of {@code payloadBytes}: an array (or a collection's table) is allocated
     * from the length the stream claims before its elements are read, so a length the payload cannot carry (a
     * byte at least for each element, the element's size for primitives) is refused, and a few bytes cannot
     * make the reader allocate up to {@link Limits#maxArrayLength()} elements.
     */
    ClassFilter fresh(long payloadBytes) {
        return new ClassFilter(allow, deny, hostPackages, limits, payloadBytes);
    }

    /**
     * A filter for reading in the framework of {@code context}. Computing the rules walks the system bundle's
     * exports, so callers keep one and take {@link #fresh()} copies per stream.
     */
    public static ClassFilter forFramework(BundleContext context, Limits limits) {
        List<String> allow = new ArrayList<>(DEFAULT_ALLOW);
        allow.addAll(rules(context.getProperty(ALLOW_PROPERTY)));
        Set<String> host = new HashSet<>();
        BundleWiring system = context.getBundle(0).adapt(BundleWiring.class);
        if (system != null) {
            for (BundleCapability c : system.getCapabilities("osgi.wiring.package")) {
                host.add(String.valueOf(c.getAttributes().get("osgi.wiring.package")));
            }
        }
        return new ClassFilter(List.copyOf(allow), rules(context.getProperty(DENY_PROPERTY)), host, limits);
    }

    private static List<String> rules(String property) {
        List<String> rules = new ArrayList<>();
        if (property != null) {
            for (String s : property.split(",")) {
                if (!s.isBlank()) {
                    rules.add(s.trim());
                }
            }
        }
        return List.copyOf(rules);
    }

    /** The first refusal of this filter, or null. */
    public Refusal refusal() {
        return refusal;
    }

    /** Records a refusal made outside {@link #checkInput} (of an object once it is resolved); the first stays. */
    void refuse(Refusal r) {
        if (refusal == null) {
            refusal = r;
        }
    }

    @Override
    public Status checkInput(FilterInfo info) {
        String limit = exceededLimit(info);
        if (limit != null) {
            refuse(new Refusal(null, "limit exceeded: " + limit));
            return Status.REJECTED;
        }
        Class<?> cls = info.serialClass();
        if (cls == null) {
            return Status.UNDECIDED;
        }
        Refusal r = decide(cls);
        if (r == null) {
            return Status.ALLOWED;
        }
        refuse(r);
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

    private String exceededLimit(FilterInfo info) {
        if (info.depth() > limits.maxDepth()) {
            return "depth " + info.depth() + " > " + limits.maxDepth() + " (nesting)";
        }
        if (info.arrayLength() > limits.maxArrayLength()) {
            return "array length " + info.arrayLength() + " > " + limits.maxArrayLength() + " (elements of one array)";
        }
        if (info.arrayLength() > 0 && info.arrayLength() > payloadBytes / elementBytes(info.serialClass())) {
            return "array length " + info.arrayLength() + " > what a payload of " + payloadBytes
                    + " bytes can carry (its memory would be taken before its elements are read)";
        }
        if (info.references() > limits.maxReferences()) {
            return "references " + info.references() + " > " + limits.maxReferences()
                    + " (objects and back references)";
        }
        if (info.streamBytes() > limits.maxBytes()) {
            return "bytes " + info.streamBytes() + " > " + limits.maxBytes() + " (stream size)";
        }
        return null;
    }

    /** Null if {@code cls} may be created, else why not. */
    Refusal decide(Class<?> cls) {
        while (cls.isArray()) {
            cls = cls.getComponentType();
        }
        if (cls.isPrimitive() || cls == BlobRef.class) {
            return null;
        }
        String name = cls.getName();
        String gadget = GadgetRules.refusalOf(cls);
        if (gadget != null) {
            return new Refusal(name, gadget);
        }
        String denied = firstMatch(deny, name);
        if (denied != null) {
            return new Refusal(name, "it is denied by the framework property " + DENY_PROPERTY + " (" + denied + ")");
        }
        return isAllowed(cls) ? null : new Refusal(name, "it comes neither from a bundle of the snapshot nor from"
                + " the allowed JDK classes; allow it with the framework property " + ALLOW_PROPERTY
                + " if it is safe");
    }

    private boolean isAllowed(Class<?> cls) {
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
            return matches(allow, cls.getName());
        }
        return matches(allow, cls.getName())
                || (Throwable.class.isAssignableFrom(cls) && matches(JDK_EXCEPTION_PACKAGES, cls.getName()));
    }

    /** Whether {@code className} matches a rule: {@code pkg.*} (that package), {@code pkg.**} (and below), a name. */
    static boolean matches(List<String> rules, String className) {
        return firstMatch(rules, className) != null;
    }

    /** The first of {@code rules} that {@code className} matches, or null. */
    static String firstMatch(List<String> rules, String className) {
        int dot = className.lastIndexOf('.');
        String pkg = dot < 0 ? "" : className.substring(0, dot);
        for (String rule : rules) {
            if (rule.endsWith(".**")) {
                String prefix = rule.substring(0, rule.length() - 3);
                if (pkg.equals(prefix) || pkg.startsWith(prefix + ".")) {
                    return rule;
                }
            } else if (rule.endsWith(".*")) {
                if (pkg.equals(rule.substring(0, rule.length() - 2))) {
                    return rule;
                }
            } else if (rule.equals(className)) {
                return rule;
            }
        }
        return null;
    }
}
