package dev.trampoline.itests;

import static dev.trampoline.itests.DeployFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;

import dev.trampoline.runtime.remote.CallOptions;
import dev.trampoline.runtime.remote.RemoteExecutor;
import dev.trampoline.runtime.remote.RemoteTask;

/** A child runs at the parent's framework start level, each bundle at its own, however the levels got there. */
class StartLevelTest {

    @TempDir
    Path root;
    DeployFixture fx;
    RemoteExecutor executor;

    @BeforeEach
    void start() throws Exception {
        fx = DeployFixture.forRemoteCalls(root, Map.of());
        executor = fx.executor();
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    @Test
    void childRunsAtTheParentsStartLevelWithEachBundlesOwn() throws Exception {
        TestBundle.supplier("levels.check", "1.0.0", "x").writeTo(fx.deploy.resolve("levels.jar"));
        Eventually.until("the bundle is ACTIVE here", () -> fx.isActive("levels.check"), fx::describe);
        FrameworkStartLevel framework = fx.runtime().bundleContext().getBundle(0).adapt(FrameworkStartLevel.class);
        BundleStartLevel bundle = fx.bundle("levels.check").orElseThrow().adapt(BundleStartLevel.class);
        RemoteTask<String> levels = context -> context.getBundle(0).adapt(FrameworkStartLevel.class).getStartLevel()
                + "/" + Arrays.stream(context.getBundles()).filter(b -> "levels.check".equals(b.getSymbolicName()))
                        .map(b -> b.adapt(BundleStartLevel.class).getStartLevel() + "/"
                                + (b.getState() == Bundle.ACTIVE ? "ACTIVE" : "not active"))
                        .findFirst().orElse("missing");

        framework.setStartLevel(3);
        Eventually.until("the runtime runs at start level 3", () -> framework.getStartLevel() == 3);
        bundle.setStartLevel(2); // it stays ACTIVE: no bundle event says anything changed
        Eventually.until("the bundle is at level 2 and ACTIVE", () -> bundle.getStartLevel() == 2
                && fx.isActive("levels.check"));

        assertEquals("3/2/ACTIVE", await(executor.run(levels, CallOptions.DEFAULT)));
    }
}
