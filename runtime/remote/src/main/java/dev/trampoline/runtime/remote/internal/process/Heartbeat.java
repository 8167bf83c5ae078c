package dev.trampoline.runtime.remote.internal.process;

import dev.trampoline.runtime.contract.internal.ChildProperties;

/**
 * Whether a launch's children get heartbeats, and how long a child waits for one. A child on another host cannot
 * watch its parent's pid, and a network partition may close no channel (TCP notices nothing while nobody
 * writes): such a child learns that its parent is unreachable only from the parent's silence. Every
 * {@link #intervalMillis} (a third of the timeout: an idle child may miss two) the parent writes a
 * {@code HEARTBEAT} frame to each child it began to write nothing to in the last half interval, so a child hears
 * from it at least every half timeout; the child, told the timeout by a JVM option of its command, exits when no
 * byte comes from its parent for {@link #timeoutMillis} (seen within half a timeout more: its check's period).
 * Local children have none ({@link #NONE}): they see the parent's pid and the channel's end.
 *
 * @param timeoutMillis how long a child waits for a sign of its parent before it exits; 0: no heartbeats
 */
public record Heartbeat(long timeoutMillis) {

    /** No heartbeats (local children). */
    public static final Heartbeat NONE = new Heartbeat(0);
    /** A child's timeout when its launch asks for heartbeats without saying how long. */
    public static final long DEFAULT_TIMEOUT_MILLIS = 6_000; // noticed within 9 s: T + T/2
    /** Heartbeats with the default timeout. */
    public static final Heartbeat DEFAULT = new Heartbeat(DEFAULT_TIMEOUT_MILLIS);
    /** Below this a timeout would be a child's every scheduling hiccup: heartbeats are for partitions. */
    public static final long MIN_TIMEOUT_MILLIS = 300;

    /**
     * @throws IllegalArgumentException for a timeout that is neither 0 (none) nor at least
     *         {@value #MIN_TIMEOUT_MILLIS}
     */
    public Heartbeat {
        if (timeoutMillis != 0 && timeoutMillis < MIN_TIMEOUT_MILLIS) {
            throw new IllegalArgumentException("a heartbeat timeout of " + timeoutMillis + " ms: use 0 (none) or at"
                    + " least " + MIN_TIMEOUT_MILLIS + " ms");
        }
    }

    /** Whether children get heartbeats. */
    public boolean enabled() {
        return timeoutMillis > 0;
    }

    /** How long the parent lets a child go without a frame before it writes a heartbeat. */
    public long intervalMillis() {
        return timeoutMillis / 3;
    }

    /** The JVM option that tells the child its timeout; only for a launch with heartbeats. */
    String jvmOption() {
        return "-D" + ChildProperties.HEARTBEAT_TIMEOUT + "=" + timeoutMillis;
    }
}
