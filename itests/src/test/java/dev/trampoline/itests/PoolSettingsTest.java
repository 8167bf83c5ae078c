package dev.trampoline.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.trampoline.runtime.remote.CallOptions;
import dev.trampoline.runtime.remote.RemoteExecutor;
import dev.trampoline.runtime.remote.RemoteTask;

/** The pool's settings, from framework properties and from a configuration file in the deploy folder. */
class PoolSettingsTest {

    @TempDir
    Path root;
    DeployFixture fx;

    @AfterEach
    void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    private RemoteExecutor start(Map<String, String> properties) throws Exception {
        Map<String, String> all = new java.util.HashMap<>(properties);
        all.put("trampoline.child.cds", "false");
        all.put("trampoline.remote.allow", "dev.trampoline.itests.*");
        fx = new DeployFixture(root, all, "dev.trampoline.runtime.remote;version=1.0.0",
                "org.osgi.util.promise;version=1.3.0", "org.osgi.util.function;version=1.2.0");
        return fx.runtime().service(RemoteExecutor.class, Duration.ofSeconds(10));
    }

    private static long pid(RemoteExecutor executor) throws Exception {
        return (Long) executor.run((RemoteTask<Long>) context -> ProcessHandle.current().pid(), CallOptions.DEFAULT)
                .getValue();
    }

    private static Set<Long> children() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive).map(ProcessHandle::pid)
                .collect(Collectors.toSet());
    }

    @Test
    void idleChildExitsAfterTheIdleTimeout() throws Exception {
        RemoteExecutor executor = start(Map.of("trampoline.pool.idleTimeoutMillis", "500"));

        long child = pid(executor);

        Eventually.until("the idle child exits", () -> !children().contains(child), () -> children().toString());
        assertNotEquals(child, pid(executor), "the next call gets a new child");
    }

    @Test
    void childRetiresAfterItsMaximumNumberOfCalls() throws Exception {
        RemoteExecutor executor = start(Map.of("trampoline.pool.maxCallsPerChild", "2"));

        long first = pid(executor);
        assertEquals(first, pid(executor));
        long third = pid(executor);

        assertNotEquals(first, third, "the third call goes to a new child");
        Eventually.until("the worn-out child exits", () -> !children().contains(first), () -> children().toString());
    }

    @Test
    void configurationFileInTheDeployFolderSetsThePoolAndDeletingItGoesBack() throws Exception {
        start(Map.of());
        assertEquals(Set.of(), children(), "no standby children by default");

        Files.writeString(fx.deploy.resolve("dev.trampoline.remote.pool.cfg"), "standby = 1\n");
        Eventually.until("a standby child starts", () -> children().size() == 1, () -> children().toString());
        long standby = children().iterator().next();

        Files.delete(fx.deploy.resolve("dev.trampoline.remote.pool.cfg"));
        Eventually.until("the standby child goes with the configuration", () -> !children().contains(standby),
                () -> children().toString());
    }
}
