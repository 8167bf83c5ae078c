package dev.trampoline.runtime.remote.internal.agent;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;

/**
 * The collection an idle child runs once after a spell of work: a full collection that gives the heap it no
 * longer needs back to the machine, down to {@value #IDLE_MAX_FREE_PERCENT}% free.
 * <p>
 * A child works with {@code -XX:MaxHeapFreeRatio=30}, so that a busy child keeps room to allocate and does not
 * collect fully again and again. For the idle collection alone the ratio is lowered (it is a manageable
 * option, changed through the HotSpot diagnostic bean), then set back: measured, an idle child's resident
 * memory went about 3 MiB lower. Where the option cannot be changed (another JVM, a user's own lower
 * ratios), it is a plain full collection.
 */
final class IdleCollection {

    static final int IDLE_MAX_FREE_PERCENT = 10;

    private final Object bean;
    private final Method get;
    private final Method set;

    private IdleCollection(Object bean, Method get, Method set) {
        this.bean = bean;
        this.get = get;
        this.set = set;
    }

    static IdleCollection create() {
        try {
            // By name: the bundle need not import com.sun.management for this.
            Class<?> type = ClassLoader.getPlatformClassLoader().loadClass("com.sun.management.HotSpotDiagnosticMXBean");
            @SuppressWarnings({"unchecked", "rawtypes"})
            Object bean = ManagementFactory.getPlatformMXBean((Class) type);
            Method get = type.getMethod("getVMOption", String.class);
            Method set = type.getMethod("setVMOption", String.class, String.class);
            return new IdleCollection(bean, get, set);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return new IdleCollection(null, null, null);
        }
    }

    /** Collects fully, leaving at most {@value #IDLE_MAX_FREE_PERCENT}% of the heap free where it can. */
    void run() {
        String max = option("MaxHeapFreeRatio");
        String min = option("MinHeapFreeRatio");
        boolean lowered = max != null && min != null && Integer.parseInt(min) <= IDLE_MAX_FREE_PERCENT
                && Integer.parseInt(max) > IDLE_MAX_FREE_PERCENT
                && setOption("MaxHeapFreeRatio", Integer.toString(IDLE_MAX_FREE_PERCENT));
        try {
            System.gc();
        } finally {
            if (lowered) {
                setOption("MaxHeapFreeRatio", max);
            }
        }
    }

    /** The option's current value, or null if it cannot be read. */
    String option(String name) {
        if (bean == null) {
            return null;
        }
        try {
            Object option = get.invoke(bean, name);
            return (String) option.getClass().getMethod("getValue").invoke(option);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private boolean setOption(String name, String value) {
        try {
            set.invoke(bean, name, value);
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }
}
