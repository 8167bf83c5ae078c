package dev.trampoline.runtime.remote.internal.agent;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

import dev.trampoline.runtime.contract.internal.ChildProperties;
import dev.trampoline.runtime.remote.CallNotSerializableException;
import dev.trampoline.runtime.remote.internal.config.ConfigurationReplica;
import dev.trampoline.runtime.remote.internal.serial.ClassFilter;
import dev.trampoline.runtime.remote.internal.wire.ReadLimit;
import dev.trampoline.runtime.remote.internal.serial.Serialization;
import dev.trampoline.runtime.remote.internal.wire.CallRequest;
import dev.trampoline.runtime.remote.internal.wire.Failure;
import dev.trampoline.runtime.remote.internal.wire.Frame;
import dev.trampoline.runtime.remote.internal.wire.Payload;
import dev.trampoline.runtime.remote.internal.thread.Daemons;

/**
 * Serves calls in a child. It is active only where the launcher's child main registered the channel (the
 * child's stdin and stdout) as services, that is, only in a child, after the snapshot's bundles started.
 * When the channel ends (the parent closed it, or died) the child framework stops and the process exits.
 */
@Component(immediate = true)
public final class ChildAgent {

    /** How long a child that stops for its parent's silence gives its framework before it halts. */
    private static final long HALT_AFTER_MILLIS = 5_000;

    @Reference(target = "(" + ChildProperties.CHANNEL + "=" + ChildProperties.CHANNEL_IN + ")")
    private InputStream channelIn;

    @Reference(target = "(" + ChildProperties.CHANNEL + "=" + ChildProperties.CHANNEL_OUT + ")")
    private OutputStream channelOut;

    @Reference
    private ConfigurationReplica configurations;

    private BundleContext context;
    /** The snapshot this child runs: set by the child main, moved by {@link #update}. */
    private volatile java.nio.file.Path currentSnapshot;
    private Serialization serialization;
    private CallRunner runner;
    private DataOutputStream out;
    private ExecutorService calls;
    private final Map<Long, Future<?>> running = new ConcurrentHashMap<>();
    /** The channel, read by one thread at a time: the current reader (see {@link #readCalls}). */
    private DataInputStream in;
    private volatile boolean stopping;
    private ReadLimit readLimit;
    /** Calls served since the last collection; an idle child that did work collects once to shrink. */
    private final java.util.concurrent.atomic.AtomicLong servedSinceGc = new java.util.concurrent.atomic.AtomicLong();
    private volatile long lastCallNanos = System.nanoTime();
    /** Made at the first idle collection, not at start: the management bean costs time to create. */
    private IdleCollection idleCollection;
    private java.util.concurrent.ScheduledExecutorService idle;
    private final java.util.concurrent.atomic.AtomicBoolean idleCheckPending = new java.util.concurrent.atomic.AtomicBoolean();
    /** Watches the parent's heartbeats when the child's command asked for it; else null. */
    private HeartbeatWatch heartbeats;

    @Activate
    void activate(BundleContext context) {
        this.context = context;
        String snapshot = context.getProperty(ChildProperties.SNAPSHOT);
        currentSnapshot = snapshot == null ? null : java.nio.file.Path.of(snapshot);
        try {
            readLimit = ReadLimit.forFramework(context::getProperty);
        } catch (IllegalArgumentException e) { // the parent warned about it already
            readLimit = ReadLimit.standard();
        }
        serialization = new Serialization(context, ClassFilter.Limits.DEFAULT, readLimit.maxFrame());
        runner = new CallRunner(context, configurations::localPid, new MissingService(context, () -> currentSnapshot),
                serialization);
        out = new DataOutputStream(new BufferedOutputStream(channelOut, 64 * 1024));
        // A thread per call in flight (calls may wait for each other) plus the one reading the channel, gone
        // after a second without work: a burst of calls must not leave an idle child holding a hundred stacks
        // and their malloc arenas.
        calls = new java.util.concurrent.ThreadPoolExecutor(0, Integer.MAX_VALUE, 1, java.util.concurrent.TimeUnit.SECONDS,
                new java.util.concurrent.SynchronousQueue<>(), Daemons.numbered("trampoline-call-"));
        // Its thread starts with the first check, after the first call: a child that serves none never wakes.
        idle = Executors.newSingleThreadScheduledExecutor(Daemons.named("trampoline-idle"));
        String phases = context.getProperty(ChildProperties.PHASES);
        try {
            send(Frame.text(0, Frame.READY, "pid=" + ProcessHandle.current().pid()
                    + (phases == null ? "" : ";" + phases)));
        } catch (IOException parentGone) {
            stopFramework(); // nobody to serve: leave rather than wait for a channel that will not come back
            return;
        }
        heartbeats = HeartbeatWatch.of(System.getProperty(ChildProperties.HEARTBEAT_TIMEOUT),
                warning -> System.err.println("trampoline child: " + warning));
        InputStream fromParent = heartbeats == null ? channelIn : heartbeats.watch(channelIn);
        in = new DataInputStream(new BufferedInputStream(fromParent, 64 * 1024));
        if (heartbeats != null) {
            heartbeats.start(this::parentSilent);
        }
        calls.execute(this::readCalls);
    }

    /**
     * Nothing came from the parent for the heartbeat timeout: it is gone, or unreachable (a partition may leave
     * the channel open and silent for good), and nobody will take this child's answers. It stops as when its
     * channel ends; should a plugin hold the framework's stop, it halts.
     */
    private void parentSilent(long silentMillis) {
        System.err.println("trampoline child: no heartbeat from the parent for " + silentMillis + " ms; exiting");
        stopping = true; // the reader's failure as the framework stops is no news
        Daemons.thread("trampoline-child-halt", () -> {
            try {
                Thread.sleep(HALT_AFTER_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("trampoline child: the framework did not stop within " + HALT_AFTER_MILLIS
                    + " ms; halting");
            Runtime.getRuntime().halt(3);
        }).start();
        stopFramework();
    }

    /**
     * A child that worked and has been idle for a second collects its garbage once, so that with the heap
     * ratios it starts with it returns memory to the machine instead of holding its busiest heap forever.
     */
    private void collectWhenIdle() {
        idleCheckPending.set(false);
        if (servedSinceGc.get() == 0) {
            return;
        }
        if (running.isEmpty() && System.nanoTime() - lastCallNanos > 1_000_000_000L) {
            servedSinceGc.set(0); // a call ending from now on counts for the next collection
            if (idleCollection == null) {
                idleCollection = IdleCollection.create();
            }
            idleCollection.run();
        } else {
            scheduleIdleCheck(); // still working: look again in a second
        }
    }

    /**
     * One check at a time, scheduled when a call ends, rescheduled while calls go on, none once the child has
     * collected: an idle child wakes for nothing (a check every second cost it ~2.5 ms of CPU each, interpreted).
     */
    private void scheduleIdleCheck() {
        if (idleCheckPending.compareAndSet(false, true)) {
            try {
                idle.schedule(this::collectWhenIdle, 1, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                idleCheckPending.set(false);
            }
        }
    }

    @Deactivate
    void deactivate() {
        stopping = true;
        if (heartbeats != null) {
            heartbeats.stop();
        }
        idle.shutdownNow();
        calls.shutdownNow();
        runner.close();
    }

    /**
     * Reads frames until one is a call, then hands the reading to another thread of the pool and runs the call
     * itself: a call starts on the thread that read it, without waiting for another thread to wake up, and the
     * channel is never left unread while a call runs (a cancel, or the next call, may follow at once).
     */
    private void readCalls() {
        try {
            Frame f;
            while ((f = Frame.readFrom(in, readLimit)) != null) {
                Frame frame = f;
                if (frame.kind() == Frame.CALL) {
                    // Registered before it can run: a quick call removes itself when done, not before it is added.
                    boolean[] served = {false};
                    java.util.concurrent.FutureTask<Void> task = new java.util.concurrent.FutureTask<>(() -> {
                        served[0] = true;
                        serve(frame);
                    }, null);
                    running.put(frame.callId(), task);
                    if (!nextReader()) {
                        return; // stopping
                    }
                    task.run();
                    if (!served[0]) {
                        answerCancelledBeforeStart(frame.callId());
                    }
                    return;
                } else if (frame.kind() == Frame.CONFIGURE) {
                    configure(frame); // here: the sets apply in the order they were sent
                } else if (frame.kind() == Frame.UPDATE) {
                    calls.execute(() -> update(frame));
                } else if (frame.kind() == Frame.HEARTBEAT) {
                    continue; // its bytes were the sign of life (see HeartbeatWatch)
                } else if (frame.kind() == Frame.CANCEL) {
                    Future<?> call = running.remove(frame.callId());
                    if (call != null) {
                        call.cancel(true);
                    }
                }
            }
        } catch (IOException | java.util.concurrent.RejectedExecutionException e) {
            if (!stopping) {
                System.err.println("trampoline child: the channel failed: " + e);
            }
        }
        // The parent closed the channel or died: no one is left to answer.
        try {
            in.close();
        } catch (IOException e) {
            // closing anyway
        }
        stopFramework();
    }

    /** Another thread of the pool reads the channel from here on; false if the pool no longer runs. */
    private boolean nextReader() {
        try {
            calls.execute(this::readCalls);
            return true;
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return false; // deactivated: the framework is stopping anyway
        } catch (OutOfMemoryError e) { // no thread can be made: nobody would read the channel, so end
            System.err.println("trampoline child: cannot start a thread to read the channel (" + e.getMessage()
                    + "); stopping");
            try {
                stopFramework();
            } catch (OutOfMemoryError again) {
                Runtime.getRuntime().halt(3); // not even a thread to stop with: the parent sees the exit
            }
            return false;
        }
    }

    private void configure(Frame frame) {
        try {
            configurations.apply(frame.payload().stream().readAllBytes());
        } catch (IOException | RuntimeException e) {
            System.err.println("trampoline child: the parent's configurations could not be applied: " + e);
        }
    }

    /** Moves this (never used) child to the snapshot named in the frame, and says how that went. */
    private void update(Frame frame) {
        String answer;
        try {
            java.nio.file.Path next = java.nio.file.Path.of(frame.payload().utf8());
            String hash = SnapshotApplier.apply(context, currentSnapshot, next);
            currentSnapshot = next;
            answer = "ok:" + hash;
        } catch (Exception | LinkageError e) {
            answer = "error:" + e;
        }
        try {
            send(Frame.text(frame.callId(), Frame.UPDATED, answer));
        } catch (IOException e) {
            // the channel is gone; readCalls ends the child
        }
    }

    private void serve(Frame frame) {
        long id = frame.callId();
        try {
            Frame answer;
            try {
                answer = answer(frame);
            } catch (Throwable t) { // whatever went wrong, the call is answered: its caller may wait without limit
                answer = new Frame(id, Frame.FAILURE, failure(t));
            }
            send(answer);
        } catch (IOException e) {
            // the channel is gone; readCalls ends the child
        } finally {
            running.remove(id);
            servedSinceGc.incrementAndGet();
            lastCallNanos = System.nanoTime();
            scheduleIdleCheck();
        }
    }

    /**
     * A call cancelled before it ran is answered all the same: the parent counts a cancelled call as running
     * here until its answer comes, and retires a child whose cancelled call does not answer.
     */
    private void answerCancelledBeforeStart(long id) {
        try {
            send(new Frame(id, Frame.FAILURE, failure(new java.util.concurrent.CancellationException(
                    "cancelled before it started"))));
        } catch (IOException e) {
            // the channel is gone; readCalls ends the child
        }
    }

    private Frame answer(Frame frame) {
        long id = frame.callId();
        Object value;
        try {
            CallRequest request = (CallRequest) serialization.read(frame.payload());
            value = runner.run(request);
        } catch (Throwable t) {
            return new Frame(id, Frame.FAILURE, failure(t));
        }
        try {
            // The result's large arrays are sent as they are: the frame is written before this call is over.
            return new Frame(id, Frame.RESULT, serialization.writeForImmediateSend(value));
        } catch (CallNotSerializableException e) {
            return new Frame(id, Frame.FAILURE, failure(new CallNotSerializableException(e.getMessage(), null)));
        }
    }

    /**
     * What a failed call answers: the exception itself where it can be serialized, and a description made of
     * JDK types; if even that cannot be written (too large, or memory ran out), the description alone, and at
     * the last the exception's class and message.
     */
    private Payload failure(Throwable t) {
        if (t instanceof Serialization.ReadException) {
            // only reading the call throws it; the API's type crosses, as for a result that cannot be sent
            t = new CallNotSerializableException("The child cannot read the call: " + t.getMessage(), null);
        }
        Failure crossing = serialization.failureOf(t);
        for (byte[] exception : java.util.Arrays.asList(crossing.serialized(), null)) {
            try {
                return serialization.writeForImmediateSend(new Failure(exception, crossing.description()));
            } catch (RuntimeException | OutOfMemoryError e) {
                // too large or too deep: try with less
            }
        }
        String message = String.valueOf(t.getMessage());
        return serialization.writeForImmediateSend(new Failure(null, new Failure.Description(t.getClass().getName(),
                message.length() > 2000 ? message.substring(0, 2000) + "..." : message, new StackTraceElement[0],
                null, java.util.List.of())));
    }

    private void send(Frame frame) throws IOException {
        synchronized (out) {
            frame.writeTo(out);
        }
    }

    private void stopFramework() {
        Thread stopper = new Thread(() -> {
            try {
                context.getBundle(0).stop();
            } catch (BundleException | IllegalStateException e) {
                Runtime.getRuntime().halt(3);
            }
        }, "trampoline-child-stop");
        stopper.start();
    }
}
