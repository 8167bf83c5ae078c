package dev.trampoline.runtime.remote.internal.process;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import dev.trampoline.runtime.contract.internal.ContentHash;

/**
 * The JVM options every child gets before the call's own: a small-footprint collector, and an application
 * class-data-sharing archive of the child's start, made once by a training child (one that boots, serves no
 * call and exits cleanly: a child serving calls must keep its exit status, which a dump at exit may change)
 * and used by every later one. The archive is named by the JDK and the class path (file sizes and times), so
 * a new launcher or JDK gets a new one; a stale or unusable archive only costs speed, never correctness,
 * because the JVM then runs without it. Children on JDK {@value JavaHome#AOT_CACHE_FEATURE} or later get an AOT
 * cache instead ({@code -XX:AOTCacheOutput} to make it, {@code -XX:AOTCache} to use it: JEP 483, 514, 515), made
 * and named by the same rules: it holds the classes loaded and linked and the methods' profiles, so that children
 * also start with less work for the compilers.
 */
public final class ChildJvmOptions {

    /** Framework property: {@code false} turns the class-data-sharing archive off. */
    public static final String CDS_PROPERTY = "trampoline.child.cds";
    /** Framework property: JVM options for every child (space separated), after the defaults, before a call's. */
    public static final String OPTIONS_PROPERTY = "trampoline.child.jvmOptions";
    /**
     * Framework property, how children compile: {@code full} (the default) is tiered compilation with C1 and C2
     * coming in later than the JVM's default (three times the invocations). Deferring C2 keeps it from taking
     * a core from a child's start on a small machine; deferring C1 leaves code that runs only while the
     * framework starts uncompiled (a smaller idle child). Hot code reaches the same peak speed;
     * {@code quick} compiles with C1 only, on one compiler thread: sooner ready than {@code full}, and hot
     * code runs slower; {@code jvm} is the JVM's own settings.
     */
    public static final String JIT_PROPERTY = "trampoline.child.jit";
    private static final List<String> FULL_JIT = List.of("-XX:Tier3InvocationThreshold=600",
            "-XX:Tier3MinInvocationThreshold=300", "-XX:Tier3CompileThreshold=6000",
            "-XX:Tier3BackEdgeThreshold=180000", "-XX:Tier4InvocationThreshold=15000",
            "-XX:Tier4MinInvocationThreshold=1800", "-XX:Tier4CompileThreshold=45000",
            "-XX:Tier4BackEdgeThreshold=120000");
    /** The initial heap children start with (see {@link #forChild}). */
    private static final long INITIAL_HEAP = 8L << 20;
    private static final List<String> QUICK_JIT = List.of("-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1");

    private static final int KEEP_OTHER_ARCHIVES = 2;
    /** The first JDK that warns when {@code sun.misc.Unsafe}'s memory access is used, and the option to allow it. */
    private static final int UNSAFE_WARNING_FEATURE = 24;
    private static final String UNSAFE_MEMORY_ACCESS = "--sun-misc-unsafe-memory-access";
    /** The suffix of the temporary file a JVM writing an AOT cache records its training in. */
    private static final String AOT_CONFIGURATION = ".config";

    private final Path archiveDir;
    private final String classPath;
    /**
     * Named by a hash of the JDK and class path, made at first use: hashing's first use (the security
     * providers) costs a child's start time, and a child rarely starts children of its own.
     */
    private volatile String archiveName;
    private final boolean cds;
    /** Why children run without an archive although one was wanted, or null. */
    private final String noArchiveReason;
    private final List<String> configured;
    private final List<String> jit;
    /** The JDK children run on: it names the archive and chooses its kind. */
    private final JavaHome jdk;

    /** Options for children on this runtime's own JDK (see below). */
    ChildJvmOptions(Path archiveDir, String classPath, boolean cds, String configured, String jit) {
        this(archiveDir, classPath, cds, configured, jit, JavaHome.current());
    }

    /**
     * Options for children on {@code jdk}, with an archive in {@code archiveDir} if {@code cds}, the
     * {@code configured} options of every child and the {@code jit} preset.
     *
     * @throws IllegalArgumentException if {@code jit} is none of {@code full}, {@code quick}, {@code jvm} (or null)
     */
    ChildJvmOptions(Path archiveDir, String classPath, boolean cds, String configured, String jit, JavaHome jdk) {
        this.jdk = jdk;
        this.jit = switch (jitPreset(jit)) {
            case "quick" -> QUICK_JIT;
            case "jvm" -> List.of();
            default -> FULL_JIT;
        };
        this.archiveDir = archiveDir;
        this.classPath = classPath;
        Path blocker = cds ? ArchiveBlocker.in(classPath).orElse(null) : null;
        this.cds = cds && blocker == null;
        // The JVM's AOT cache has the rule of its class-data archives (JDK 25: "Cannot have non-empty directory").
        this.noArchiveReason = blocker == null ? null : "the class path has a folder that is not empty (" + blocker
                + "), with which the JVM can neither make nor use one; children start faster from a class path"
                + " of jars";
        this.configured = configured == null || configured.isBlank() ? List.of()
                : List.of(configured.trim().split("\\s+"));
        removeAbandonedDumps();
    }

    /**
     * The compiler preset {@code jit} names ({@value #JIT_PROPERTY}): {@code full} (also for null or blank),
     * {@code quick} or {@code jvm}.
     *
     * @throws IllegalArgumentException if it names none of them
     */
    public static String jitPreset(String jit) {
        String preset = jit == null || jit.isBlank() ? "full" : jit.trim().toLowerCase(java.util.Locale.ROOT);
        if (!List.of("full", "quick", "jvm").contains(preset)) {
            throw new IllegalArgumentException(JIT_PROPERTY + " is '" + jit + "': use full, quick or jvm");
        }
        return preset;
    }

    /** The JDK children run on. */
    public JavaHome jdk() {
        return jdk;
    }

    /** Dumps of children whose parent died before adopting them: never trusted, removed after a while. */
    private void removeAbandonedDumps() {
        try (var files = Files.list(archiveDir)) {
            long cutoff = System.currentTimeMillis() - 10 * 60_000;
            for (Path f : files.filter(ChildJvmOptions::isDump).toList()) {
                if (Files.getLastModifiedTime(f).toMillis() < cutoff) {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException | RuntimeException e) {
            // no folder yet, or a file another runtime just removed
        }
    }

    /** A dump being written, or an AOT cache's configuration beside it (a temporary file of the JVM's). */
    private static boolean isDump(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".tmp") || name.endsWith(".tmp" + AOT_CONFIGURATION);
    }

    /**
     * Why children run without a class-data-sharing archive although {@value #CDS_PROPERTY} wants one (no training
     * child, no archive options, for the spare JVM too), or null if they use one.
     */
    public String noArchiveReason() {
        return noArchiveReason;
    }

    /** Whether a training child should run now to make the archive. */
    boolean wantsArchive() {
        return cds && !Files.isRegularFile(archive());
    }

    /**
     * The option that keeps the warnings of JDK {@code feature} about {@code sun.misc.Unsafe} out of a child's
     * stderr, or null if that JDK gives none or {@code options} choose already. Felix (SecureAction) reads fields
     * through it, which JDK 24 and later warn of at first use (JEP 498): four lines on every child's stderr, in the
     * parent's log, that no user can act on.
     */
    public static String quietUnsafeAccess(int feature, List<String> options) {
        if (feature < UNSAFE_WARNING_FEATURE || options.stream().anyMatch(o -> o.startsWith(UNSAFE_MEMORY_ACCESS))) {
            return null;
        }
        return UNSAFE_MEMORY_ACCESS + "=allow";
    }

    /** The options for a child: defaults, configured ones, then {@code call} ones (later ones win). */
    public List<String> forChild(List<String> call, Path dumpTo) {
        List<String> callOptions = new ArrayList<>(configured);
        callOptions.addAll(call);
        List<String> options = new ArrayList<>();
        // Stdout is the channel: the JVM's own warnings (unified logging writes them to stdout by default, and
        // some go to its "tty") must go to stderr, which the parent logs.
        options.add("-Xlog:disable");
        options.add("-Xlog:all=warning:stderr:uptime,level,tags");
        options.add("-XX:+DisplayVMOutputToStderr");
        if (callOptions.stream().noneMatch(o -> o.matches("-XX:\\+Use\\w*GC"))) {
            options.add("-XX:+UseSerialGC"); // children are small: one GC thread, a heap that stays small
            // and gives memory back after a busy spell (the agent collects when a child goes idle)
            options.add("-XX:MinHeapFreeRatio=10");
            options.add("-XX:MaxHeapFreeRatio=30");
            // Otherwise one full collection gives back nothing of the heap a busy spell left, and only a
            // fourth one all of it: the idle collection runs once (measured: an idle child ~2 MiB smaller).
            options.add("-XX:-ShrinkHeapInSteps");
        }
        if (callOptions.stream().noneMatch(o -> o.startsWith("-Xms")) && maxHeapBytes(callOptions) >= INITIAL_HEAP) {
            // The default initial heap is 1/64 of the machine's memory, and a young generation cycled through
            // that much stays resident; a child starts small and grows only if its calls need it. The serial
            // collector never shrinks below the initial size, so this is also what an idle child keeps:
            // 8 MiB against 16 costs a start about five more young collections (~7 ms) and saves ~7 MiB.
            options.add("-Xms8m"); // INITIAL_HEAP; not above a smaller -Xmx of the user's, which the JVM refuses
        }
        options.add("-XX:-UsePerfData"); // no hsperfdata file per child
        String quiet = quietUnsafeAccess(jdk.feature(), callOptions);
        if (quiet != null) {
            options.add(quiet);
        }
        if (jdk.trimsNativeHeap() && callOptions.stream().noneMatch(o -> o.startsWith("-XX:TrimNativeHeapInterval"))) {
            // glibc keeps memory that was freed (by the compilers, by threads that ended) unless asked to give
            // it back; an idle child would hold its busiest moment's native memory for good.
            options.add("-XX:TrimNativeHeapInterval=1000");
        }
        if (callOptions.stream().noneMatch(o -> o.contains("Tier") || o.contains("CICompilerCount"))) {
            options.addAll(jit); // configured or call JIT options replace the preset as a whole
        }
        if (cds && callOptions.stream().noneMatch(ChildJvmOptions::choosesSharing)) {
            options.addAll(archiveOptions(dumpTo));
        }
        options.addAll(callOptions);
        return options;
    }

    /** Whether a call's or the configured option decides the class-data sharing itself (then no archive is added). */
    private static boolean choosesSharing(String option) {
        return option.startsWith("-XX:SharedArchiveFile") || option.startsWith("-Xshare")
                || option.startsWith("-XX:AOTCache") || option.startsWith("-XX:AOTMode")
                || option.startsWith("-XX:AOTConfiguration");
    }

    /**
     * The options that use the archive if it exists, or, for a training child, write it to {@code dumpTo} at exit:
     * an AOT cache from JDK {@value JavaHome#AOT_CACHE_FEATURE}, else a dynamic class-data archive. Either way the
     * JVM's reports on it are off: a missing or stale one is expected (the JVM then runs without it).
     */
    private List<String> archiveOptions(Path dumpTo) {
        boolean aot = jdk.usesAotCache();
        List<String> options = new ArrayList<>();
        if (dumpTo != null) {
            // AOT: the JVM records at exit, then runs a JVM of its own that writes the cache, before it exits.
            options.add((aot ? "-XX:AOTCacheOutput=" : "-XX:ArchiveClassesAtExit=") + dumpTo);
        } else if (Files.isRegularFile(archive())) {
            options.add((aot ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=") + archive());
        } else {
            return options;
        }
        if (aot) {
            options.add("-Xlog:aot*=off:stderr");
        }
        options.add("-Xlog:cds*=off:stderr");
        return options;
    }

    /** Where a child without an archive may write one when it exits, or null if none is wanted. */
    Path dumpTarget(long id) {
        if (!cds || Files.isRegularFile(archive())) {
            return null;
        }
        try {
            Files.createDirectories(archiveDir);
        } catch (IOException e) {
            return null;
        }
        // The pid too: a child that makes calls of its own shares this folder with its parent.
        return archiveDir.resolve(archiveName() + "." + ProcessHandle.current().pid() + "-" + id + ".tmp");
    }

    /** After a child exits: its dump, if complete, becomes the archive; otherwise it is removed. */
    void adopt(Path dump, boolean exitedCleanly) {
        if (dump == null) {
            return;
        }
        try {
            if (exitedCleanly && Files.isRegularFile(dump) && Files.size(dump) > 0 && !Files.exists(archive())) {
                Files.move(dump, archive(), StandardCopyOption.ATOMIC_MOVE);
                removeOtherArchives();
            }
        } catch (IOException e) {
            // another child's dump won, or the folder is gone: either way, no archive from this one
        } finally {
            try {
                Files.deleteIfExists(dump);
                Files.deleteIfExists(Path.of(dump + AOT_CONFIGURATION)); // left by a training JVM that failed
            } catch (IOException e) {
                // a stray temp file in the store
            }
        }
    }

    /**
     * Archives and AOT caches of earlier launcher jars or JDKs: each is several MiB, and a new one is made
     * whenever either changes. The {@value #KEEP_OTHER_ARCHIVES} newest stay, for a runtime that goes back and
     * forth, or whose calls choose another JDK.
     */
    private void removeOtherArchives() {
        try (var files = Files.list(archiveDir)) {
            List<Path> others = files.filter(f -> f.getFileName().toString().matches("child-\\w+\\.(jsa|aot)")
                    && !f.equals(archive())).sorted(java.util.Comparator.comparing(ChildJvmOptions::modified).reversed())
                    .toList();
            for (Path old : others.subList(Math.min(KEEP_OTHER_ARCHIVES, others.size()), others.size())) {
                Files.deleteIfExists(old);
            }
        } catch (IOException | RuntimeException e) {
            // only disk space
        }
    }

    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Whether children trim their native heap. The JVM is asked once (tens of milliseconds), so the runtime
     * asks ahead rather than when its first child starts.
     */
    public static boolean nativeHeapTrimSupported() {
        return NativeHeapTrim.SUPPORTED;
    }

    /** The largest heap the last {@code -Xmx} or {@code -XX:MaxHeapSize} of {@code options} allows, else the most. */
    static long maxHeapBytes(List<String> options) {
        long max = Long.MAX_VALUE;
        for (String o : options) {
            String size = o.startsWith("-Xmx") ? o.substring(4)
                    : o.startsWith("-XX:MaxHeapSize=") ? o.substring("-XX:MaxHeapSize=".length()) : null;
            if (size != null) {
                long bytes = bytes(size);
                max = bytes < 0 ? Long.MAX_VALUE : bytes; // the JVM reports a size it cannot read itself
            }
        }
        return max;
    }

    /** A JVM size ({@code 512k}, {@code 96m}, {@code 1g}, plain bytes) in bytes, or -1 if it is none. */
    private static long bytes(String size) {
        if (size.isEmpty()) {
            return -1;
        }
        char unit = Character.toLowerCase(size.charAt(size.length() - 1));
        long factor = switch (unit) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            case 't' -> 1L << 40;
            default -> 1;
        };
        String digits = factor == 1 ? size : size.substring(0, size.length() - 1);
        try {
            return Math.multiplyExact(Long.parseLong(digits), factor);
        } catch (NumberFormatException | ArithmeticException e) {
            return -1;
        }
    }

    /** Asks the running JVM whether it knows a {@code -XX} option; false if it cannot tell. */
    static boolean hasVmOption(String name) {
        try {
            // By name: the bundle need not import com.sun.management for this one question.
            Class<?> type = ClassLoader.getPlatformClassLoader().loadClass("com.sun.management.HotSpotDiagnosticMXBean");
            @SuppressWarnings({"unchecked", "rawtypes"})
            Object bean = ManagementFactory.getPlatformMXBean((Class) type);
            type.getMethod("getVMOption", String.class).invoke(bean, name);
            return true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return false; // IllegalArgumentException inside: no such option
        }
    }

    /** Whether this JDK has {@code -XX:TrimNativeHeapInterval} (17.0.9 and later), asked once: children run it too. */
    private static final class NativeHeapTrim {
        static final boolean SUPPORTED = hasVmOption("TrimNativeHeapInterval");
    }

    Path archive() {
        return archiveDir.resolve(archiveName());
    }

    private String archiveName() {
        String name = archiveName;
        if (name == null) {
            name = "child-" + key(jdk, classPath) + (jdk.usesAotCache() ? ".aot" : ".jsa");
            archiveName = name;
        }
        return name;
    }

    private static String key(JavaHome jdk, String classPath) {
        StringBuilder sb = new StringBuilder(jdk.identity()).append('|');
        for (String entry : classPath.split(java.io.File.pathSeparator)) {
            Path p = Path.of(entry);
            sb.append(entry).append(':');
            try {
                sb.append(Files.size(p)).append(':').append(Files.getLastModifiedTime(p).toMillis());
            } catch (IOException | RuntimeException e) {
                sb.append("missing");
            }
            sb.append('|');
        }
        return ContentHash.sha256(sb.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    }
}
