package dev.trampoline.runtime.remote.internal.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A child's watch on its parent's heartbeats; the time limit is only against a hang. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HeartbeatWatchTest {

    @Test
    void aChildWhoseCommandSetsNoTimeoutWatchesNothingAndABadValueIsReported() {
        List<String> warnings = new ArrayList<>();
        assertNull(HeartbeatWatch.of(null, warnings::add));
        assertTrue(warnings.isEmpty());

        assertNull(HeartbeatWatch.of("soon", warnings::add));
        assertNull(HeartbeatWatch.of("-5", warnings::add));
        assertEquals(2, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("trampoline.child.heartbeatTimeoutMillis=soon"), warnings.get(0));

        assertEquals(1500, HeartbeatWatch.of(" 1500 ", warnings::add).timeoutMillis());
    }

    @Test
    void silenceForTheTimeoutIsReportedOnceWithHowLongItLasted() throws Exception {
        HeartbeatWatch watch = HeartbeatWatch.of("50", w -> { });
        assertNotNull(watch);
        CompletableFuture<Long> silence = new CompletableFuture<>();
        AtomicInteger reports = new AtomicInteger();
        watch.start(millis -> {
            reports.incrementAndGet();
            silence.complete(millis);
        });

        long silentMillis = silence.get();

        assertTrue(silentMillis >= 50, "reported only once the timeout passed: " + silentMillis);
        watch.stop();
        assertEquals(1, reports.get());
    }

    @Test
    void everyByteReadThroughTheWatchIsASignOfLifeAndThePassesThemOnUnchanged() throws IOException {
        HeartbeatWatch watch = HeartbeatWatch.of("60000", w -> { });
        InputStream in = watch.watch(new ByteArrayInputStream(new byte[] {1, 2, 3, 4}));
        assertEquals(1, in.read());
        byte[] rest = new byte[8];
        assertEquals(3, in.read(rest, 0, rest.length));
        assertEquals(-1, in.read());
        assertEquals(List.of((byte) 2, (byte) 3, (byte) 4), List.of(rest[0], rest[1], rest[2]));
    }
}
