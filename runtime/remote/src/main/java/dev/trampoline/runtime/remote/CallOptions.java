package dev.trampoline.runtime.remote;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How one call runs: in a reusable child or a fresh one, with what time limit, JVM options and environment.
 * Calls with different JVM options or environments never share a child. Immutable: start from {@link #DEFAULT};
 * {@code with...} methods return a changed copy.
 *
 * @param fresh run in a new child used for this call only
 * @param timeout the call's time limit; the child is killed when it passes ({@code null}: no limit)
 * @param jvmOptions extra options for the child's {@code java} command ({@code -Xmx256m}, {@code -Dkey=value})
 * @param environment extra environment variables for the child process
 * @param host the host the call runs on, by the name the {@code dev.trampoline.remote.hosts} configuration gives
 *        it, or by a label (then the host with that label that has the most free slots); {@code null}: this
 *        machine. A name or label no host has fails the call with {@link CallRejectedException}
 */
public record CallOptions(boolean fresh, Duration timeout, List<String> jvmOptions, Map<String, String> environment,
        String host) {

    /** A reusable child, no time limit, no extra options: start here and change it with {@code with...}. */
    public static final CallOptions DEFAULT = new CallOptions(false, null, List.of(), Map.of(), null);

    /** Options for a call on this machine. */
    public CallOptions(boolean fresh, Duration timeout, List<String> jvmOptions, Map<String, String> environment) {
        this(fresh, timeout, jvmOptions, environment, null);
    }

    public CallOptions {
        jvmOptions = List.copyOf(Objects.requireNonNull(jvmOptions, "jvmOptions"));
        environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
    }

    public CallOptions withFresh(boolean fresh) {
        return new CallOptions(fresh, timeout, jvmOptions, environment, host);
    }

    public CallOptions withTimeout(Duration timeout) {
        return new CallOptions(fresh, timeout, jvmOptions, environment, host);
    }

    public CallOptions withJvmOptions(List<String> jvmOptions) {
        return new CallOptions(fresh, timeout, jvmOptions, environment, host);
    }

    public CallOptions withEnvironment(Map<String, String> environment) {
        return new CallOptions(fresh, timeout, jvmOptions, environment, host);
    }

    /** These options on the host named or labelled {@code host} (null: this machine). */
    public CallOptions withHost(String host) {
        return new CallOptions(fresh, timeout, jvmOptions, environment, host);
    }
}
