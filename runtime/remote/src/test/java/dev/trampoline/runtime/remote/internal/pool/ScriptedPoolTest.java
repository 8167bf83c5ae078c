package dev.trampoline.runtime.remote.internal.pool;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.trampoline.runtime.remote.internal.process.Heartbeat;
import dev.trampoline.runtime.remote.internal.process.RoundTrips;

/**
 * What the pool's unit tests over scripted children share: one {@link PoolHarness} per test, closed after it. The
 * time limit is only against a hang; no assertion depends on the machine's speed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class ScriptedPoolTest {

    @TempDir
    Path dir;
    private PoolHarness harness;

    /** The test's pool, with {@code settings}. */
    PoolHarness harness(PoolSettings settings) {
        return harness(settings, Heartbeat.NONE);
    }

    /** The test's pool, with {@code settings}, its children sent heartbeats as {@code heartbeat} says. */
    PoolHarness harness(PoolSettings settings, Heartbeat heartbeat) {
        harness = new PoolHarness(dir, settings, heartbeat);
        return harness;
    }

    /** The test's pool, with {@code settings}, its children's warm calls timed into {@code roundTrips}. */
    PoolHarness harness(PoolSettings settings, RoundTrips roundTrips) {
        harness = new PoolHarness(dir, settings, Heartbeat.NONE, roundTrips);
        return harness;
    }

    @AfterEach
    void closeHarness() {
        if (harness != null) {
            harness.close();
        }
    }

    /** The pid of the child that gave {@code answer} ({@code TEXT@PID}). */
    static long pidOf(String answer) {
        return Long.parseLong(answer.substring(answer.indexOf('@') + 1));
    }
}
