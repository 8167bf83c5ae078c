package dev.trampoline.runtime.remote.internal.pool;

import java.util.Map;
import java.util.function.Function;

/**
 * How the child pool behaves. Read from framework properties ({@code trampoline.pool.*}), and replaced by the
 * Configuration Admin configuration {@value #PID} when there is one (so a {@code .cfg} file in the deploy
 * folder can set them): {@code standby}, {@code idleTimeoutMillis}, {@code maxCallsPerChild},
 * {@code maxChildren}, {@code maxCallsInFlight}, {@code queueSize}, {@code moveTimeoutMillis},
 * {@code startTimeoutMillis}, {@code cancelGraceMillis}.
 *
 * @param standby started, never-used children kept for the current bundle set
 * @param idleTimeoutMillis a used child with no call for this long exits (0: never)
 * @param maxCallsPerChild a child that served this many calls retires, for plugins that leak static state
 *        (0: no limit)
 * @param maxChildren at most this many children run at once (standby ones included)
 * @param maxCallsInFlight a child runs at most this many calls at once; more go to another child or wait
 * @param queueSize at most this many calls wait for a child; one more fails at once
 * @param moveTimeoutMillis a standby child that takes longer than this to move to a new bundle set (a bundle
 *        whose activator takes long, say) is retired, and calls waiting for it go to another child
 * @param startTimeoutMillis a child that is not ready this long after its JVM started (an activator that never
 *        returns, say) is killed and its calls fail, saying so (0: wait for ever)
 * @param cancelGraceMillis a child still running a cancelled call this long after the cancel (code that ignores
 *        its interrupt) is retired and killed once its other calls end (0: never)
 */
public record PoolSettings(int standby, long idleTimeoutMillis, long maxCallsPerChild, int maxChildren,
        int maxCallsInFlight, int queueSize, long moveTimeoutMillis, long startTimeoutMillis, long cancelGraceMillis) {

    /** The Configuration Admin PID whose configuration takes the place of the framework properties. */
    public static final String PID = "dev.trampoline.remote.pool";
    /** The settings without any property or configuration. */
    public static final PoolSettings DEFAULT = new PoolSettings(0, 300_000, 0, 8, 256, 10_000, 10_000, 60_000,
            10_000);

    /** @throws IllegalArgumentException if a limit that must be at least 1 is not */
    public PoolSettings {
        if (maxChildren < 1 || maxCallsInFlight < 1 || moveTimeoutMillis < 1) {
            throw new IllegalArgumentException("maxChildren, maxCallsInFlight and moveTimeoutMillis must be at least 1");
        }
    }

    /** The same settings with another standby count. */
    public PoolSettings withStandby(int count) {
        return new PoolSettings(count, idleTimeoutMillis, maxCallsPerChild, maxChildren, maxCallsInFlight, queueSize,
                moveTimeoutMillis, startTimeoutMillis, cancelGraceMillis);
    }

    /** Settings from {@code source} (a property lookup); anything missing keeps its default. */
    public static PoolSettings from(Function<String, Object> source, String prefix) {
        return new PoolSettings(integer(source, prefix, "standby", DEFAULT.standby()),
                number(source.apply(prefix + "idleTimeoutMillis"), DEFAULT.idleTimeoutMillis(), prefix + "idleTimeoutMillis"),
                number(source.apply(prefix + "maxCallsPerChild"), DEFAULT.maxCallsPerChild(), prefix + "maxCallsPerChild"),
                integer(source, prefix, "maxChildren", DEFAULT.maxChildren()),
                integer(source, prefix, "maxCallsInFlight", DEFAULT.maxCallsInFlight()),
                integer(source, prefix, "queueSize", DEFAULT.queueSize()),
                number(source.apply(prefix + "moveTimeoutMillis"), DEFAULT.moveTimeoutMillis(), prefix + "moveTimeoutMillis"),
                number(source.apply(prefix + "startTimeoutMillis"), DEFAULT.startTimeoutMillis(),
                        prefix + "startTimeoutMillis"),
                number(source.apply(prefix + "cancelGraceMillis"), DEFAULT.cancelGraceMillis(),
                        prefix + "cancelGraceMillis"));
    }

    private static int integer(Function<String, Object> source, String prefix, String name, int defaultValue) {
        long n = number(source.apply(prefix + name), defaultValue, prefix + name);
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(prefix + name + " is too large: " + n);
        }
        return (int) n;
    }

    /** Settings from a configuration's properties (no prefix); anything missing keeps its default. */
    public static PoolSettings from(Map<String, Object> properties) {
        return from(properties::get, "");
    }

    private static long number(Object value, long defaultValue, String name) {
        if (value == null || value.toString().isBlank()) {
            return defaultValue;
        }
        try {
            long n = value instanceof Number num ? num.longValue() : Long.parseLong(value.toString().trim());
            if (n < 0) {
                throw new IllegalArgumentException(name + " must not be negative: " + value);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is not a whole number: " + value);
        }
    }
}
