package dev.trampoline.runtime.remote.internal.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where children come from: the java binary, the class path, the child main, their JVM options, how they are
 * started, and whether they get heartbeats.
 *
 * @param java the java binary children run
 * @param classPath the children's class path (the launcher jar)
 * @param mainClass the children's main class
 * @param jvm the options every child's JVM starts with
 * @param starter how a child's process is started and connected
 * @param heartbeat whether the pool sends children heartbeats, and the timeout they are told ({@link Heartbeat})
 * @param roundTrips where the children's warm calls' round trips are counted, or null: not timed (this machine's)
 */
public record ChildLaunch(Path java, String classPath, String mainClass, ChildJvmOptions jvm, ChildStarter starter,
        Heartbeat heartbeat, RoundTrips roundTrips) {

    /** A launch whose children's calls are not timed. */
    public ChildLaunch(Path java, String classPath, String mainClass, ChildJvmOptions jvm, ChildStarter starter,
            Heartbeat heartbeat) {
        this(java, classPath, mainClass, jvm, starter, heartbeat, null);
    }

    /** A launch whose children get no heartbeats. */
    public ChildLaunch(Path java, String classPath, String mainClass, ChildJvmOptions jvm, ChildStarter starter) {
        this(java, classPath, mainClass, jvm, starter, Heartbeat.NONE);
    }

    /** A launch whose JVM options are made from the class-data archive folder and the option properties. */
    public ChildLaunch(Path java, String classPath, String mainClass, Path archiveDir, boolean cds,
            String jvmOptions, String jit) {
        this(java, classPath, mainClass, new ChildJvmOptions(archiveDir, classPath, cds, jvmOptions, jit),
                ChildStarter.LOCAL);
    }

    /** A launch of local children on {@code jdk}, their JVM options made as the constructor above makes them. */
    public ChildLaunch(JavaHome jdk, String classPath, String mainClass, Path archiveDir, boolean cds,
            String jvmOptions, String jit) {
        this(jdk.java(), classPath, mainClass, new ChildJvmOptions(archiveDir, classPath, cds, jvmOptions, jit, jdk),
                ChildStarter.LOCAL);
    }

    /**
     * A launch of children on another host, running {@code java} there, whose JDK is not known here: JVM options
     * that every JDK children run on takes (none that only some versions know, such as this runtime's JDK 24+
     * {@code --sun-misc-unsafe-memory-access}, which a JDK 17 refuses), and no class-data archive.
     */
    public static ChildLaunch onHost(String java, String classPath, String mainClass, Path archiveDir,
            String jvmOptions, String jit) {
        JavaHome oldestSupported = new JavaHome(Path.of(java), Integer.toString(JavaHome.MINIMUM_FEATURE));
        return new ChildLaunch(Path.of(java), classPath, mainClass,
                new ChildJvmOptions(archiveDir, classPath, false, jvmOptions, jit, oldestSupported), ChildStarter.LOCAL);
    }

    /** This launch with children started by {@code other}. */
    public ChildLaunch startedBy(ChildStarter other) {
        return new ChildLaunch(java, classPath, mainClass, jvm, other, heartbeat, roundTrips);
    }

    /** This launch with its children's warm calls timed into {@code trips} (see {@link RoundTrips}). */
    public ChildLaunch timedInto(RoundTrips trips) {
        return new ChildLaunch(java, classPath, mainClass, jvm, starter, heartbeat, trips);
    }

    /** This launch with children sent heartbeats as {@code beat} says ({@link Heartbeat#NONE}: none). */
    public ChildLaunch withHeartbeat(Heartbeat beat) {
        return new ChildLaunch(java, classPath, mainClass, jvm, starter, beat, roundTrips);
    }

    /**
     * The JVM options of a child (and of a spare, which must have the options of the child made of it): the
     * {@link ChildJvmOptions#forChild} ones, then the heartbeat timeout if there are heartbeats. That one comes
     * last, so that a call's options cannot tell the child another timeout than the one the parent keeps to.
     */
    public List<String> jvmOptions(List<String> call, Path dumpTo) {
        List<String> options = jvm.forChild(call, dumpTo);
        if (!heartbeat.enabled()) {
            return options;
        }
        List<String> withTimeout = new ArrayList<>(options);
        withTimeout.add(heartbeat.jvmOption());
        return withTimeout;
    }
}
