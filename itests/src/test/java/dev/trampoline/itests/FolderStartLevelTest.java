package dev.trampoline.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;

import dev.trampoline.launcher.Trampoline;
import dev.trampoline.launcher.TrampolineRuntime;
import dev.trampoline.runtime.deploy.DeployService;
import dev.trampoline.runtime.deploy.DeployedArtifact;

/** {@code Trampoline.deployFolder(Path, int)}: the folder decides its bundles' level, across restarts too. */
class FolderStartLevelTest {

    @TempDir
    Path root;

    private Trampoline builder(Path deploy, int level) {
        return Trampoline.builder().deployFolder(deploy, level).storage(root.resolve("storage")).logToConsole(false)
                .systemPackagesExtra("dev.trampoline.runtime.deploy;version=1.1.0");
    }

    private static Bundle bundle(TrampolineRuntime runtime, String symbolicName) {
        return Arrays.stream(runtime.bundleContext().getBundles()).filter(b -> symbolicName.equals(b.getSymbolicName()))
                .findFirst().orElseThrow();
    }

    private static int level(Bundle b) {
        return b.adapt(BundleStartLevel.class).getStartLevel();
    }

    @Test
    void aFolderGivenAnotherLevelMovesItsBundlesThereAtTheNextStart() throws Exception {
        Path deploy = Files.createDirectories(root.resolve("deploy"));
        TestBundle.supplier("moving", "1.0.0", "m").writeTo(deploy.resolve("moving.jar"));
        try (TrampolineRuntime runtime = builder(deploy, 2).start()) {
            Eventually.until("moving is ACTIVE", () -> bundle(runtime, "moving").getState() == Bundle.ACTIVE);
            assertEquals(2, level(bundle(runtime, "moving")));
            assertEquals(2, runtime.framework().adapt(FrameworkStartLevel.class).getStartLevel(),
                    "the framework runs at the folder's level");
        }
        // Down to the runtime's own level (1): the framework starts it in its first pass, with the runtime.
        try (TrampolineRuntime runtime = builder(deploy, 1).start()) {
            Bundle moving = bundle(runtime, "moving");
            Eventually.until("moving is at level 1 and ACTIVE", () -> level(moving) == 1
                    && moving.getState() == Bundle.ACTIVE);
        }

        try (TrampolineRuntime runtime = builder(deploy, 5).start()) {
            Bundle moving = bundle(runtime, "moving");
            Eventually.until("moving is at level 5 and ACTIVE", () -> level(moving) == 5
                    && moving.getState() == Bundle.ACTIVE);
            assertEquals(5, runtime.framework().adapt(FrameworkStartLevel.class).getStartLevel());
            DeployService deployService = runtime.service(DeployService.class, Duration.ofSeconds(10));
            assertEquals(5, deployService.startLevel(deploy));
            assertEquals(1, deployService.defaultStartLevel());
            DeployedArtifact artifact = deployService.artifacts().get(0);
            assertEquals(5, artifact.startLevel(), artifact.toString());
        }
        String log = read(root.resolve("storage/log/trampoline.log"));
        assertTrue(log.contains("moving 1.0.0 (bundle "), log);
        assertTrue(log.contains(") moves from start level 1 to 5, the level of " + deploy), log);
        List<String> errors = log.lines().filter(l -> l.contains(" ERROR ")).toList();
        assertTrue(errors.isEmpty(), "up from the runtime's own level, the framework picks it for its new level only "
                + "(it failed to start it at its old one, an ERROR): " + errors);
    }

    @Test
    void aBeginningLevelBelowAFoldersIsWarnedAboutAndItsBundlesStartWhenTheLevelIsRaised() throws Exception {
        Path deploy = Files.createDirectories(root.resolve("deploy"));
        TestBundle.supplier("waiting", "1.0.0", "w").writeTo(deploy.resolve("waiting.jar"));
        try (TrampolineRuntime runtime = builder(deploy, 3)
                .frameworkProperty("org.osgi.framework.startlevel.beginning", "2").start()) {
            Path log = root.resolve("storage/log/trampoline.log");
            String warning = "Deploy folder " + deploy + " has start level 3, above the framework's beginning start"
                    + " level 2 (org.osgi.framework.startlevel.beginning): its bundles are installed but start only"
                    + " once the start level is raised; set org.osgi.framework.startlevel.beginning=3 (or leave it"
                    + " unset), or give the folder a lower level";
            Eventually.until("the warning is logged", () -> read(log).contains(warning), () -> read(log));
            Bundle waiting = bundle(runtime, "waiting");
            assertEquals(3, level(waiting));
            assertNotEquals(Bundle.ACTIVE, waiting.getState(), "above the framework's level");

            runtime.framework().adapt(FrameworkStartLevel.class).setStartLevel(3);

            Eventually.until("waiting is ACTIVE once the level is raised", () -> waiting.getState() == Bundle.ACTIVE);
            List<String> errors = read(log).lines().filter(l -> l.contains(" ERROR ")).toList();
            assertTrue(errors.isEmpty(), "nothing went wrong: " + errors);
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
