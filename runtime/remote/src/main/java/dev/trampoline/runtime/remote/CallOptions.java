package dev.trampoline.runtime.remote;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How one call runs: in a reusable child or a fresh one, with what time limit, JVM options and environment, on
 * which host and JDK. Calls with different JVM options, environments or Java homes never share a child.
 * Immutable: start from {@link #DEFAULT}; {@code with...} methods return a changed copy.
 *
 * @param fresh run in a new child used for this call only
 * @param timeout the call's time limit; the child is killed when it passes ({@code null}: no limit)
 * @param jvmOptions extra options for the child's {@code java} command ({@code -Xmx256m}, {@code -Dkey=value})
 * @param environment extra environment variables for the child process
 * @param host the host the call runs on, by the name the {@code dev.trampoline.remote.hosts} configuration gives
 *        it, or by a label (then the host with that label that has the most free slots); {@code null}: this
 *        machine. A name or label no host has fails the call with {@link CallRejectedException}
 * @param javaHome the folder of the JDK the child runs on (it runs {@code javaHome/bin/java}), on this machine;
 *        {@code null}: the runtime's setting ({@code trampoline.child.java}, else the runtime's own JDK). Children
 *        on JDK 25 or later start from an AOT cache. A folder that does not exist, has no {@code bin/java} or
 *        holds a JDK older than 17, or a Java home given with a {@code host} (whose configuration names its
 *        {@code java}), fails the call with {@link CallRejectedException}. Since 2.2
 */
public record CallOptions(boolean fresh, Duration timeout, List<String> jvmOptions, Map<String, String> environment,
        String host, String javaHome) {

    /** A reusable child, no time limit, no extra options: start here and change it with {@code with...}. */
    public static final CallOptions DEFAULT = new CallOptions(false, null, List.of(), Map.of(), null, null);

    /** Options for a call on this machine, on the runtime's JDK. */
    public CallOptions(boolean fresh, Duration timeout, List<String> jvmOptions, Map<String, String> environment) {
        this(fresh, timeout, jvmOptions, environment, null, null);
    }

    /** Options for a call on {@code host} (null: this machine), on the runtime's JDK (there: the host's). */
    public CallOptions(boolean fresh, Duration timeout, List<String> jvmOptions, Map<String, String> environment,
            String host) {
        this(fresh, timeout, jvmOptions, environment, host, null);
    }

    public CallOptions {
        jvmOptions = List.copyOf(Objects.requireNonNull(jvmOptions, "jvmOptions"));
        environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
    }

    public CallOptions withFresh(boolean fresh) {
        return new CallOptions(fresh, timeout, jvmOptions, environment, host, javaHome);
    }

    public CallOptions withTimeout(Duration timeout) {
        return new CallOptions(fresh, timeout, jvmOptions, environment, host, javaHome);
    }

    public CallOptions withJvmOptions(List<String> jvmOptions) {
        return new CallOptions(fresh, timeout, jvmOptions, environment, host, javaHome);
    }

    public CallOptions withEnvironment(Map<String, String> environment) {
        return new CallOptions(fresh, timeout, jvmOptions, environment, host, javaHome);
    }

    /** These options on the host named or labelled {@code host} (null: this machine). */
    public CallOptions withHost(String host) {
        return new CallOptions(fresh, timeout, jvmOptions, environment, host, javaHome);
    }

    /**
     * These options with the child on the JDK in {@code javaHome} (the folder that has {@code bin/java}; null:
     * the runtime's setting). Since 2.2.
     */
    public CallOptions withJavaHome(String javaHome) {
        return new CallOptions(fresh, timeout, jvmOptions, environment, host, javaHome);
    }
}
