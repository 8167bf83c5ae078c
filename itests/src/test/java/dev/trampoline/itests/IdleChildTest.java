package dev.trampoline.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.trampoline.runtime.remote.CallOptions;
import dev.trampoline.runtime.remote.RemoteTask;

/** What a child does while it waits for calls: after the work it did is cleaned up, nothing that wakes it. */
class IdleChildTest {

    /** The state of the child's idle-check thread ("none" before it first ran) and its full collections so far. */
    private static final RemoteTask<String> IDLE_STATE = context -> {
        String state = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("trampoline-idle"))
                .map(t -> t.getState().name()).findFirst().orElse("none");
        long fullCollections = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (!gc.getName().equals("Copy")) { // the serial collector's young collections
                fullCollections += gc.getCollectionCount();
            }
        }
        return state + " " + fullCollections;
    };

    @Test
    void aChildCollectsOnceAfterItsWorkAndThenSchedulesNothing(@TempDir Path root) throws Exception {
        try (DeployFixture fx = DeployFixture.forRemoteCalls(root, Map.of())) {
            String[] first = ((String) DeployFixture.await(fx.executor().run(IDLE_STATE, CallOptions.DEFAULT))).split(" ");
            assertEquals("none", first[0], "a child that has served no call has no idle check running");

            Thread.sleep(3_000); // a second after the call the child checks, finds itself idle and collects
            String[] later = ((String) DeployFixture.await(fx.executor().run(IDLE_STATE, CallOptions.DEFAULT))).split(" ");
            assertEquals("WAITING", later[0], "nothing scheduled after the collection: the idle thread waits without a"
                    + " time limit, where a periodic check would wake it every second");
            assertTrue(Long.parseLong(later[1]) > Long.parseLong(first[1]), "the idle child collected: "
                    + first[1] + " full collections before, " + later[1] + " after");
        }
    }
}
