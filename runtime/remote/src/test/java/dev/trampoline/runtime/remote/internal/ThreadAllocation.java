package dev.trampoline.runtime.remote.internal;

import java.lang.management.ManagementFactory;

/** Bytes the current thread allocated, for tests that bound what a reader may allocate (HotSpot only). */
public final class ThreadAllocation {

    private static final com.sun.management.ThreadMXBean THREADS = counter();

    private ThreadAllocation() {
    }

    /** Whether this JVM counts allocations per thread; where not, only what is thrown can be checked. */
    public static boolean counted() {
        return THREADS != null;
    }

    /** What the current thread has allocated so far, or 0 where that is not counted. */
    public static long bytes() {
        return THREADS == null ? 0 : THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    private static com.sun.management.ThreadMXBean counter() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
                && t.isThreadAllocatedMemorySupported()) {
            t.setThreadAllocatedMemoryEnabled(true);
            return t;
        }
        return null;
    }
}
