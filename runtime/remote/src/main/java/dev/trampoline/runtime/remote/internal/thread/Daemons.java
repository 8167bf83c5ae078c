package dev.trampoline.runtime.remote.internal.thread;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Daemon threads with names that say whose they are: none of them may keep a stopping JVM alive. */
public final class Daemons {

    private Daemons() {
    }

    /** A daemon thread named {@code name} that runs {@code body}; not started. */
    public static Thread thread(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        return t;
    }

    /** Makes daemon threads all named {@code name} (for an executor with one thread). */
    public static ThreadFactory named(String name) {
        return body -> thread(name, body);
    }

    /** Makes daemon threads named {@code prefix} followed by 1, 2, 3 ... */
    public static ThreadFactory numbered(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return body -> thread(prefix + n.incrementAndGet(), body);
    }
}
