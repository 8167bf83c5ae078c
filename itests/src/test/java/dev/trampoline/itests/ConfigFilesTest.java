package dev.trampoline.itests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Dictionary;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import dev.trampoline.examples.greeter.Greeter;

/** {@code .cfg} and {@code .config} files in the deploy folder against real Felix Configuration Admin. */
class ConfigFilesTest {

    @TempDir
    Path root;
    DeployFixture fx;

    @BeforeEach
    void start() throws Exception {
        fx = new DeployFixture(root, "org.osgi.service.cm;version=1.6.0",
                "dev.trampoline.examples.greeter;version=1.0.0");
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    private ConfigurationAdmin cm() throws Exception {
        return fx.runtime().service(ConfigurationAdmin.class, Duration.ofSeconds(10));
    }

    private Dictionary<String, Object> properties(String pid) {
        try {
            Configuration[] found = cm().listConfigurations("(service.pid=" + pid + ")");
            return found == null ? null : found[0].getProperties();
        } catch (IllegalStateException deletedWhileLookingAtIt) {
            return null; // deleted between listing and reading: as good as not found
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void cfgFileBecomesAConfigurationFollowsItsChangesAndGoesWithIt() throws Exception {
        Path cfg = fx.deploy.resolve("com.example.app.cfg");
        Files.writeString(cfg, "url = http://localhost\ncount=1\n");

        Eventually.until("the configuration exists", () -> properties("com.example.app") != null, fx::describe);
        Dictionary<String, Object> p = properties("com.example.app");
        assertEquals("http://localhost", p.get("url"));
        assertEquals("1", p.get("count"));
        assertEquals(cfg.toUri().toString(), p.get("felix.fileinstall.filename"));
        assertEquals("com.example.app", fx.artifact("com.example.app.cfg").orElseThrow().configurationPid());

        Files.writeString(cfg, "url = http://localhost\ncount=2\n");
        Eventually.until("the configuration is updated", () -> "2".equals(properties("com.example.app").get("count")),
                fx::describe);

        Files.delete(cfg);
        Eventually.until("the configuration is deleted", () -> properties("com.example.app") == null, fx::describe);
    }

    @Test
    void dashedFileNameIsANamedFactoryConfiguration() throws Exception {
        Files.writeString(fx.deploy.resolve("com.example.pool-primary.cfg"), "size=4\n");

        Eventually.until("the factory configuration exists", () -> properties("com.example.pool~primary") != null,
                fx::describe);
        assertEquals("com.example.pool", properties("com.example.pool~primary").get("service.factoryPid"));
    }

    @Test
    void configFileKeepsItsTypes() throws Exception {
        Files.writeString(fx.deploy.resolve("com.example.typed.config"),
                "port=I\"8080\"\nnames=[\"a\",\"b\"]\nenabled=B\"true\"\n");

        Eventually.until("the configuration exists", () -> properties("com.example.typed") != null, fx::describe);
        Dictionary<String, Object> p = properties("com.example.typed");
        assertEquals(8080, p.get("port"));
        assertEquals(Boolean.TRUE, p.get("enabled"));
        assertArrayEquals(new String[] {"a", "b"}, (String[]) p.get("names"));
    }

    @Test
    void unreadableConfigFileIsReportedAndLosesNothing() throws Exception {
        Files.writeString(fx.deploy.resolve("com.example.bad.config"), "port=I\"not-a-number\n");

        Eventually.until("the error is reported",
                () -> fx.artifact("com.example.bad.config").map(a -> a.error() != null).orElse(false), fx::describe);
        assertEquals("FAILED", fx.artifact("com.example.bad.config").orElseThrow().state());
        assertEquals(null, properties("com.example.bad"));
    }

    @Test
    void greeterFollowsItsConfigurationFile() throws Exception {
        Files.copy(Examples.greeterJar(), fx.deploy.resolve("greeter.jar"));
        Greeter greeter = fx.runtime().service(Greeter.class, Duration.ofSeconds(10));
        assertEquals("Hello, Ann!", greeter.greet("Ann"));

        Path cfg = fx.deploy.resolve("dev.trampoline.examples.greeter.cfg");
        Files.writeString(cfg, "greeting = Bonjour\n");
        Eventually.until("the greeting follows the file", () -> "Bonjour, Ann!".equals(currentGreeting()),
                fx::describe);

        Files.delete(cfg);
        Eventually.until("the default greeting is back", () -> "Hello, Ann!".equals(currentGreeting()),
                fx::describe);
        assertTrue(Files.exists(fx.deploy.resolve("greeter.jar")));
    }

    private String currentGreeting() {
        try {
            return fx.runtime().service(Greeter.class, Duration.ofSeconds(5)).greet("Ann");
        } catch (Exception e) {
            return null;
        }
    }
}
