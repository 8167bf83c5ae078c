package dev.trampoline.runtime.remote.internal.child;

import java.util.Map;
import java.util.function.Function;

/**
 * How the child pool behaves. Read from framework properties ({@code trampoline.pool.*}), and replaced by the
 * Configuration Admin configuration {@value #PID} when there is one (so a {@code .cfg} file in the deploy
 * folder can set them): {@code standby}, {@code idleTimeoutMillis}, {@code maxCallsPerChild}.
 *
 * @param standby started, never-used children kept for the current bundle set
 * @param idleTimeoutMillis a used child with no call for this long exits (0: never)
 * @param maxCallsPerChild a child that served this many calls retires, for plugins that leak static state
 *        (0: no limit)
 */
public record PoolSettings(int standby, long idleTimeoutMillis, long maxCallsPerChild) {

    public static final String PID = "dev.trampoline.remote.pool";
    public static final PoolSettings DEFAULT = new PoolSettings(0, 300_000, 0);

    /** Settings from {@code source} (a property lookup); anything missing keeps its default. */
    public static PoolSettings from(Function<String, Object> source, String prefix) {
        return new PoolSettings((int) number(source.apply(prefix + "standby"), DEFAULT.standby(), prefix + "standby"),
                number(source.apply(prefix + "idleTimeoutMillis"), DEFAULT.idleTimeoutMillis(), prefix + "idleTimeoutMillis"),
                number(source.apply(prefix + "maxCallsPerChild"), DEFAULT.maxCallsPerChild(), prefix + "maxCallsPerChild"));
    }

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
