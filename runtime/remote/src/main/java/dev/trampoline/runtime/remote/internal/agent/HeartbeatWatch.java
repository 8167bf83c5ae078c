package dev.trampoline.runtime.remote.internal.agent;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;

import dev.trampoline.runtime.contract.internal.ChildProperties;
import dev.trampoline.runtime.remote.internal.thread.Daemons;

/**
 * A child's watch on its parent's heartbeats, for a child whose command set
 * {@value ChildProperties#HEARTBEAT_TIMEOUT} (one on another host: a network partition may leave its channel open
 * and silent for good). Every byte read from the parent is a sign of life, a heartbeat or any other frame, and so
 * is every part of a large frame still arriving; when none came for the timeout, the watch says so once. It looks
 * every half timeout, on a thread of its own that only wakes for that, so it notices within the timeout plus half
 * of it; a child without the property makes no watch and pays nothing.
 */
final class HeartbeatWatch {

    private final long timeoutMillis;
    private volatile long lastHeardNanos = System.nanoTime();
    private final AtomicBoolean silent = new AtomicBoolean();
    private ScheduledExecutorService checks;

    private HeartbeatWatch(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    /**
     * The watch {@code value} (the system property's) asks for, or null if it asks for none (absent, or not a
     * positive number: reported to {@code warn}, since a child that cannot tell its parent is gone is better than
     * one that leaves a healthy parent).
     */
    static HeartbeatWatch of(String value, java.util.function.Consumer<String> warn) {
        if (value == null) {
            return null;
        }
        try {
            long millis = Long.parseLong(value.strip());
            if (millis > 0) {
                return new HeartbeatWatch(millis);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        warn.accept(ChildProperties.HEARTBEAT_TIMEOUT + "=" + value + " is not a positive number of milliseconds;"
                + " heartbeats are not watched");
        return null;
    }

    /** How long the child waits for a sign of its parent. */
    long timeoutMillis() {
        return timeoutMillis;
    }

    /** The parent's end of the channel as the child reads it, each byte that arrives counting as a sign of life. */
    InputStream watch(InputStream fromParent) {
        return new FilterInputStream(fromParent) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    heard();
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                if (n > 0) {
                    heard();
                }
                return n;
            }
        };
    }

    private void heard() {
        lastHeardNanos = System.nanoTime();
    }

    /**
     * Starts watching, the timeout counting from now; once nothing came from the parent for the timeout,
     * {@code silence} is told (once, on the watch's thread) how long the parent has been silent, in milliseconds.
     */
    synchronized void start(LongConsumer silence) {
        heard();
        checks = Executors.newSingleThreadScheduledExecutor(Daemons.named("trampoline-heartbeat-watch"));
        long period = Math.max(1, timeoutMillis / 2);
        checks.scheduleWithFixedDelay(() -> {
            long silentMillis = (System.nanoTime() - lastHeardNanos) / 1_000_000;
            if (silentMillis >= timeoutMillis && silent.compareAndSet(false, true)) {
                checks.shutdown(); // no more looks: the child is leaving
                silence.accept(silentMillis);
            }
        }, period, period, TimeUnit.MILLISECONDS);
    }

    /** Stops watching (the child stops for another reason). */
    synchronized void stop() {
        if (checks != null) {
            checks.shutdownNow();
        }
    }
}
