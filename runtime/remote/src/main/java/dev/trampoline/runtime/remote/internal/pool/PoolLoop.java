package dev.trampoline.runtime.remote.internal.pool;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;

import org.osgi.service.log.Logger;

/**
 * The owner of the queue of waiting calls, the pool and every child's state: events posted here run one at a
 * time, in the order posted, and nothing else touches that state. The loop has no thread of its own: the thread
 * that posts an event while no other runs the loop runs it (and whatever was posted meanwhile), as gRPC's
 * {@code SynchronizationContext} does; so a call's submit and a child's answer cost no hand-off to another
 * thread, and no thread ever waits for the loop. In return an event must never block: starting or killing a JVM
 * and waiting for it, writing a payload, closing a pipe, or running plugin code happen on other threads, which
 * post their outcome back here.
 */
public final class PoolLoop implements Executor {

    private final Queue<Runnable> events = new ConcurrentLinkedQueue<>();
    /** The thread running the loop now, or null. */
    private final AtomicReference<Thread> runner = new AtomicReference<>();
    private final Logger log;

    /** A loop that logs an event's failure to {@code log} and goes on with the next. */
    public PoolLoop(Logger log) {
        this.log = log;
    }

    /**
     * Runs {@code event} after those posted before it: in this thread if no other runs the loop (before this
     * returns), else in the thread that does. Posted from an event, it runs once that event has returned.
     */
    @Override
    public void execute(Runnable event) {
        events.add(event);
        drain();
    }

    private void drain() {
        Thread self = Thread.currentThread();
        while (!events.isEmpty() && runner.compareAndSet(null, self)) {
            try {
                for (Runnable e = events.poll(); e != null; e = events.poll()) {
                    run(e);
                }
            } finally {
                runner.set(null);
            }
            // An event posted after the last poll and before the release found the loop taken: run it here.
        }
    }

    private void run(Runnable event) {
        try {
            event.run();
        } catch (RuntimeException | Error e) {
            // One event's failure must not take down the pool (nor the thread, a caller's, that ran it).
            log.error("The child pool's event {} failed: {}", event, e.toString());
        }
    }

    /** Whether the calling thread is running the loop now, that is: runs one of its events. */
    public boolean inLoop() {
        return runner.get() == Thread.currentThread();
    }
}
