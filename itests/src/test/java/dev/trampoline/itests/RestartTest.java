package dev.trampoline.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * A second start on the same storage: bundles come back from the cache, and what changed in the deploy
 * folder while the runtime was down is applied before {@code start()} returns.
 */
class RestartTest {

    @TempDir
    Path root;
    DeployFixture fx;

    @BeforeEach
    void start() throws Exception {
        fx = new DeployFixture(root, "org.osgi.service.cm;version=1.6.0");
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    @Test
    void startingRemovesTheChildFoldersOfARuntimeThatWasKilled() throws Exception {
        Process gone = new ProcessBuilder("true").start(); // stands for a runtime killed with its children
        gone.waitFor();
        Path left = Files.createTempDirectory("trampoline-child-" + gone.pid() + "-");
        Files.createDirectories(left.resolve("cache/bundle1"));
        Files.setLastModifiedTime(left, java.nio.file.attribute.FileTime.fromMillis(
                System.currentTimeMillis() - 3_600_000));
        Path recent = Files.createTempDirectory("trampoline-child-" + gone.pid() + "-");
        try {
            fx.restart();

            Eventually.until("the old folder is removed", () -> !Files.exists(left), left::toString);
            assertTrue(Files.exists(recent), "a recent one is kept: its child may still be deleting it");
        } finally {
            Files.deleteIfExists(recent);
        }
    }

    @Test
    void deployedBundlesComeBackFromTheCacheWithTheirIds() throws Exception {
        TestBundle.supplier("kept", "1.0.0", "k").writeTo(fx.deploy.resolve("kept.jar"));
        Eventually.until("kept is ACTIVE", () -> fx.isActive("kept"), fx::describe);
        long id = fx.bundle("kept").orElseThrow().getBundleId();
        fx.runtime().install("test:by-hand",
                new java.io.ByteArrayInputStream(TestBundle.supplier("by.hand", "1.0.0", "h").build()));

        fx.restart();

        assertEquals(id, fx.bundle("kept").orElseThrow().getBundleId());
        assertTrue(fx.isActive("kept"), fx.describe());
        assertTrue(fx.isActive("by.hand"), "a bundle installed by hand is resumed too");
    }

    @Test
    void jarDeletedWhileDownIsUninstalledOnStart() throws Exception {
        Path jar = TestBundle.supplier("deleted.offline", "1.0.0", "x").writeTo(fx.deploy.resolve("d.jar"));
        Eventually.until("ACTIVE", () -> fx.isActive("deleted.offline"), fx::describe);
        fx.runtime().close();
        Files.delete(jar);

        fx.start();

        assertTrue(fx.bundle("deleted.offline").isEmpty(), fx.describe());
    }

    @Test
    void jarReplacedWhileDownIsUpdatedOnStart() throws Exception {
        Path jar = fx.deploy.resolve("r.jar");
        TestBundle.supplier("replaced.offline", "1.0.0", "before").writeTo(jar);
        Eventually.until("before", () -> "before".equals(fx.supplied("replaced.offline")), fx::describe);
        fx.runtime().close();
        TestBundle.supplier("replaced.offline", "1.1.0", "after").writeTo(jar);

        fx.start();

        Bundle b = fx.bundle("replaced.offline").orElseThrow();
        assertEquals("1.1.0", b.getVersion().toString());
        Eventually.until("after", () -> "after".equals(fx.supplied("replaced.offline")), fx::describe);
    }

    @Test
    void jarAddedWhileDownIsInstalledOnStart() throws Exception {
        fx.runtime().close();
        TestBundle.supplier("added.offline", "1.0.0", "x").writeTo(fx.deploy.resolve("a.jar"));

        fx.start();

        assertTrue(fx.isActive("added.offline"), fx.describe());
    }

    @Test
    void configurationOfAFileDeletedWhileDownIsDeletedOnStart() throws Exception {
        Path cfg = fx.deploy.resolve("com.example.offline.cfg");
        Files.writeString(cfg, "a=1\n");
        Eventually.until("configured", () -> configuration("com.example.offline") != null, fx::describe);
        fx.runtime().close();
        Files.delete(cfg);

        fx.start();

        Eventually.until("the configuration is deleted", () -> configuration("com.example.offline") == null,
                fx::describe);
        assertNull(configuration("com.example.offline"));
    }

    @Test
    void unresolvedBundleIsStillRetriedAfterARestart() throws Exception {
        TestBundle.client("patient", "test.later").writeTo(fx.deploy.resolve("patient.jar"));
        Eventually.until("reported", () -> fx.artifact("patient.jar").map(a -> a.error() != null).orElse(false),
                fx::describe);
        fx.restart();

        TestBundle.api("later", "test.later", "at last").writeTo(fx.deploy.resolve("later.jar"));

        Eventually.until("patient answers", () -> "at last".equals(fx.supplied("patient")), fx::describe);
    }

    private Configuration configuration(String pid) {
        try {
            ConfigurationAdmin cm = fx.runtime().service(ConfigurationAdmin.class, Duration.ofSeconds(10));
            Configuration[] found = cm.listConfigurations("(service.pid=" + pid + ")");
            assertNotNull(cm);
            return found == null ? null : found[0];
        } catch (IllegalStateException deletedWhileLookingAtIt) {
            return null;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
