package dev.trampoline.runtime.remote.internal.executor;

import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import dev.trampoline.runtime.contract.internal.ChildProperties;
import dev.trampoline.runtime.remote.internal.call.ActiveWait;
import dev.trampoline.runtime.remote.internal.pool.PoolSettings;
import dev.trampoline.runtime.remote.internal.process.ChildJvmOptions;
import dev.trampoline.runtime.remote.internal.process.Heartbeat;
import dev.trampoline.runtime.remote.internal.process.JavaHome;
import dev.trampoline.runtime.remote.internal.process.SpareJvm;
import dev.trampoline.runtime.remote.internal.snapshot.ChildFrameworkProperties;
import dev.trampoline.runtime.remote.internal.wire.ReadLimit;

/**
 * The executor's framework properties, read once when it starts. A bad value is reported (naming the property)
 * and its default used instead, so a typo never takes remote execution down.
 *
 * @param inChild whether this runtime is itself a child JVM ({@link ChildProperties#IN_CHILD})
 * @param maxFrame the largest frame read from a child ({@value ReadLimit#MAX_FRAME_PROPERTY})
 * @param serviceWaitMillis how long a child waits for a call's service to appear ({@value #SERVICE_WAIT})
 * @param spinMicros how long a caller checks for an answer before it sleeps ({@value ActiveWait#PROPERTY})
 * @param classPath the children's class path ({@value #CHILD_CLASSPATH}; null: this JVM's)
 * @param mainClass the children's main class ({@value #CHILD_MAIN}; null: the launcher's)
 * @param jit the children's compiler preset ({@value ChildJvmOptions#JIT_PROPERTY}; null: the default)
 * @param cds whether children use a class-data archive ({@value ChildJvmOptions#CDS_PROPERTY})
 * @param jvmOptions JVM options for every child: the runtime's log level as a system property (see
 *        {@link #withLogLevel}), then {@value ChildJvmOptions#OPTIONS_PROPERTY}'s; null: none
 * @param spareWanted whether a spare JVM is kept ({@value SpareJvm#PROPERTY}); never in a child, nor for a main
 *        class that is not the launcher's
 * @param pool the pool's settings from {@code trampoline.pool.*}, used while no {@value PoolSettings#PID}
 *        configuration exists
 * @param heartbeat whether children get heartbeats ({@value #HEARTBEAT_TIMEOUT}; none by default)
 * @param java the JDK children run on unless a call names another ({@value #CHILD_JAVA}; default: this JVM's)
 */
record ExecutorSettings(boolean inChild, int maxFrame, long serviceWaitMillis, long spinMicros, String classPath,
        String mainClass, String jit, boolean cds, String jvmOptions, boolean spareWanted, PoolSettings pool,
        Heartbeat heartbeat, JavaHome java) {

    /** Framework property: the class path children start with (default: this JVM's). */
    static final String CHILD_CLASSPATH = "trampoline.child.classpath";
    /** Framework property: the children's main class (the launcher's trampoline). */
    static final String CHILD_MAIN = "trampoline.child.main";
    /** Framework property: the Java home (a JDK's folder) children run {@code bin/java} of (default: this JVM's). */
    static final String CHILD_JAVA = "trampoline.child.java";
    /**
     * Framework property: how long a child waits for a call's service to appear before the call fails saying
     * why it is not there (a shorter time limit of the call shortens it).
     */
    static final String SERVICE_WAIT = "trampoline.remote.serviceWaitMillis";
    static final long DEFAULT_SERVICE_WAIT_MILLIS = 5_000;
    /**
     * Framework property: the heartbeat timeout of this runtime's children (0, the default: no heartbeats). Local
     * children need none (they watch the parent's pid and see their channel end), but a parent that may stop
     * without dying (a debugger, a frozen VM) can ask for them; a child then exits when it has heard nothing for
     * this long. The children's JVM option of the same name tells them (see {@link Heartbeat}).
     */
    static final String HEARTBEAT_TIMEOUT = ChildProperties.HEARTBEAT_TIMEOUT;

    /** The settings {@code property} (a framework property lookup) gives; {@code warn} hears of each bad value. */
    static ExecutorSettings read(UnaryOperator<String> property, Consumer<String> warn) {
        boolean inChild = Boolean.parseBoolean(property.apply(ChildProperties.IN_CHILD));
        int maxFrame;
        try {
            maxFrame = ReadLimit.maxFrame(property.apply(ReadLimit.MAX_FRAME_PROPERTY));
        } catch (IllegalArgumentException e) {
            warn.accept(e.getMessage() + "; a frame carries at most " + ReadLimit.DEFAULT_MAX_FRAME + " bytes");
            maxFrame = ReadLimit.DEFAULT_MAX_FRAME;
        }
        long spinMicros;
        try {
            spinMicros = ActiveWait.micros(property.apply(ActiveWait.PROPERTY));
        } catch (IllegalArgumentException e) {
            warn.accept(e.getMessage() + "; callers wait " + ActiveWait.DEFAULT_MICROS + " µs actively for answers");
            spinMicros = ActiveWait.DEFAULT_MICROS;
        }
        String jit = property.apply(ChildJvmOptions.JIT_PROPERTY);
        try {
            ChildJvmOptions.jitPreset(jit);
        } catch (IllegalArgumentException e) {
            warn.accept(e.getMessage() + "; children use the JVM's default compilers");
            jit = null;
        }
        PoolSettings pool;
        try {
            pool = PoolSettings.from(property::apply, "trampoline.pool.");
        } catch (IllegalArgumentException e) {
            warn.accept("Child pool settings: " + e.getMessage() + "; using the defaults");
            pool = PoolSettings.DEFAULT;
        }
        String main = property.apply(CHILD_MAIN);
        return new ExecutorSettings(inChild, maxFrame, serviceWait(property.apply(SERVICE_WAIT), warn), spinMicros,
                property.apply(CHILD_CLASSPATH), main, jit,
                !"false".equalsIgnoreCase(property.apply(ChildJvmOptions.CDS_PROPERTY)),
                withLogLevel(property.apply(ChildJvmOptions.OPTIONS_PROPERTY),
                        property.apply(ChildFrameworkProperties.LOG_LEVEL)),
                // Not in a child (a JVM kept for its rare calls would mostly wait), nor for a main that is not ours.
                !inChild && main == null && !"false".equalsIgnoreCase(property.apply(SpareJvm.PROPERTY)), pool,
                heartbeat(property.apply(HEARTBEAT_TIMEOUT), warn), java(property.apply(CHILD_JAVA), warn));
    }

    /**
     * The configured JVM options of every child after the runtime's log level as a system property, where a
     * child's log sink finds it when its framework has none: so that children log at the runtime's level without
     * it being one of the framework properties, which make the bundle set's hash (see
     * {@link ChildFrameworkProperties#PARENT_ONLY}). A level that is no single word is left out (the sink would
     * not take it either).
     */
    static String withLogLevel(String configured, String level) {
        if (level == null || !level.strip().matches("\\w+")) {
            return configured;
        }
        String option = "-D" + ChildFrameworkProperties.LOG_LEVEL + "=" + level.strip();
        return configured == null || configured.isBlank() ? option : option + " " + configured;
    }

    private static JavaHome java(String value, Consumer<String> warn) {
        if (value == null || value.isBlank()) {
            return JavaHome.current();
        }
        try {
            return JavaHome.of(value.strip());
        } catch (IllegalArgumentException e) {
            warn.accept(CHILD_JAVA + ": " + e.getMessage() + "; children run on this runtime's JDK");
            return JavaHome.current();
        }
    }

    private static Heartbeat heartbeat(String value, Consumer<String> warn) {
        if (value == null) {
            return Heartbeat.NONE;
        }
        try {
            return new Heartbeat(Long.parseLong(value.strip()));
        } catch (IllegalArgumentException e) { // NumberFormatException too
            warn.accept(HEARTBEAT_TIMEOUT + "=" + value + ": " + (e instanceof NumberFormatException
                    ? "not a number of milliseconds" : e.getMessage()) + "; children get no heartbeats");
            return Heartbeat.NONE;
        }
    }

    private static long serviceWait(String value, Consumer<String> warn) {
        try {
            return value == null ? DEFAULT_SERVICE_WAIT_MILLIS : Math.max(0, Long.parseLong(value.strip()));
        } catch (NumberFormatException e) {
            warn.accept(SERVICE_WAIT + "=" + value + " is not a number of milliseconds; children wait "
                    + DEFAULT_SERVICE_WAIT_MILLIS + " ms for a call's service");
            return DEFAULT_SERVICE_WAIT_MILLIS;
        }
    }

    /**
     * The pool settings in force: the {@value PoolSettings#PID} configuration's ({@code configured}) while it
     * exists, else the framework properties'. A child that makes calls of its own keeps no standby children: its
     * own children serve its calls.
     */
    PoolSettings poolSettings(PoolSettings configured) {
        PoolSettings s = configured != null ? configured : pool;
        return inChild ? s.withStandby(0) : s;
    }
}
