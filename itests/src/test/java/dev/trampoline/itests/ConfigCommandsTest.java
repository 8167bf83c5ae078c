package dev.trampoline.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * config:list, get, set, unset and delete typed into a real launcher: a configuration from a .cfg file in the
 * deploy folder is changed in its file too (comments kept, the deployer not updating it a second time), the
 * greeter in a child JVM greets with the value set, and after a restart on the same storage and deploy folder
 * the changes are still there.
 */
class ConfigCommandsTest {

    private static final String GREETER_PID = "dev.trampoline.examples.greeter";

    @TempDir
    Path work;

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "(no file)";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    /** Types {@code line}, waits for its answer (the output grows by {@code answerMarker}), and returns it. */
    private static String typeAndAwait(LauncherProcess p, String line, String answerMarker, boolean onStderr)
            throws IOException {
        int before = count(onStderr ? p.err() : p.out(), answerMarker);
        int from = (onStderr ? p.err() : p.out()).length();
        p.type(line + "\n");
        Eventually.until("the answer to " + line, () -> count(onStderr ? p.err() : p.out(), answerMarker) > before,
                p::describe);
        return (onStderr ? p.err() : p.out()).substring(from);
    }

    @Test
    void listSetUnsetDeleteWriteBackToTheFileAndSurviveARestart() throws Exception {
        Path deploy = Files.createDirectories(work.resolve("deploy"));
        Path greeterCfg = deploy.resolve(GREETER_PID + ".cfg");
        Files.writeString(greeterCfg, "# How the greeter greets\ngreeting = Bonjour\n\n# not used, but kept\nextra = 1\n");
        Path typedConfig = deploy.resolve("com.example.typed.config");
        Files.writeString(typedConfig, "port=I\"8080\"\nnames=[\"a\",\"b\"]\n");
        Files.copy(Examples.greeterJar(), deploy.resolve("greeter.jar"));

        try (LauncherProcess p = LauncherProcess.start(work)) {
            Eventually.until("both configurations are created", () -> p.err().contains("Configuration " + GREETER_PID
                    + " created from") && p.err().contains("Configuration com.example.typed created from"),
                    p::describe);

            String list = typeAndAwait(p, "config:list", "Pid:        com.example.typed", false);
            assertTrue(list.contains("Pid:        " + GREETER_PID + "\nFile:       " + greeterCfg
                    + "\nProperties:\n  extra = 1\n  greeting = Bonjour\n"), list);
            assertTrue(list.contains("  names = a, b (String[])\n  port = 8080 (Integer)\n"), list);

            String set = typeAndAwait(p, "config:set " + GREETER_PID + " greeting Hola", "greeting = Hola", false);
            assertTrue(set.contains(GREETER_PID + ": greeting = Hola\nFile: "), set);
            assertEquals("# How the greeter greets\ngreeting = Hola\n\n# not used, but kept\nextra = 1\n",
                    read(greeterCfg), "only the value changed in the file");

            // The greeter in a child JVM follows the parent's Configuration Admin (it may take the child a moment).
            String greeting = "";
            for (int i = 0; i < 10 && !greeting.contains("Hola, World!"); i++) {
                greeting = typeAndAwait(p, "tramp:call dev.trampoline.examples.greeter.Greeter greet World",
                        "(computed by child pid", false);
            }
            assertTrue(greeting.contains("Hola, World!\n(computed by child pid"), p.describe());

            String typed = typeAndAwait(p, "config:set com.example.typed port 9090", "port = 9090", false);
            assertTrue(typed.contains("com.example.typed: port = 9090"), typed);
            assertTrue(read(typedConfig).contains("port=I\"9090\""), read(typedConfig));
            assertTrue(typeAndAwait(p, "config:set com.example.typed port eighty", "Cannot set port", true)
                    .contains("config:set com.example.typed port eighty: Cannot set port: 'eighty' is not a valid"
                            + " Integer, the type port has"), p.describe());

            String unset = typeAndAwait(p, "config:unset " + GREETER_PID + " extra", "extra removed", false);
            assertTrue(unset.contains(GREETER_PID + ": extra removed"), unset);
            assertEquals("# How the greeter greets\ngreeting = Hola\n\n# not used, but kept\n", read(greeterCfg));

            String created = typeAndAwait(p, "config:set com.example.fresh mode fast", "Created configuration", false);
            assertTrue(created.contains("Created configuration com.example.fresh: mode = fast\nFile: none: kept by"
                    + " Configuration Admin in the framework cache"), created);
            assertFalse(Files.list(deploy).anyMatch(f -> f.getFileName().toString().contains("fresh")),
                    "no file is made for it");
            assertTrue(typeAndAwait(p, "config:get com.example.fresh mode", "fast", false).contains("fast\n"),
                    p.describe());

            String deleted = typeAndAwait(p, "config:delete com.example.typed", "Deleted configuration", false);
            assertTrue(deleted.contains("Deleted configuration com.example.typed and its file " + typedConfig),
                    deleted);
            assertFalse(Files.exists(typedConfig));

            for (String unknown : new String[] {"config:get com.example.nothing", "config:unset com.example.nothing k",
                "config:delete com.example.nothing"}) {
                assertTrue(typeAndAwait(p, unknown, "No configuration com.example.nothing", true)
                        .contains(unknown + ": No configuration com.example.nothing (config:list shows them;"),
                        p.describe());
            }
            assertTrue(typeAndAwait(p, "config:get " + GREETER_PID + " nothing", "has no property", true)
                    .contains("Configuration " + GREETER_PID + " has no property nothing"), p.describe());
            assertTrue(typeAndAwait(p, "config:list '(port>=9000'", "Not a valid LDAP filter", true)
                    .contains("Not a valid LDAP filter: (port>=9000"), p.describe());

            // A file written after the rewritten ones is applied after them: by then the deployer has read the
            // rewritten greeter file again, and found nothing to update.
            Files.writeString(deploy.resolve("com.example.marker.cfg"), "a=1\n");
            Eventually.until("the marker is applied", () -> p.err().contains("Configuration com.example.marker created"),
                    p::describe);
            assertFalse(p.err().contains("Configuration " + GREETER_PID + " updated"), p.describe());
            assertFalse(p.err().contains("Configuration com.example.typed updated"), p.describe());

            p.type("stop 0\n");
            p.awaitExit();
        }

        LauncherProcess restarted = LauncherProcess.run(work, String.join("\n",
                "config:get " + GREETER_PID + " greeting",
                "config:get com.example.fresh mode",
                "config:get com.example.typed", ""));
        assertTrue(restarted.out().contains("Hola\nfast\n"), restarted.describe());
        assertTrue(restarted.err().contains("config:get com.example.typed: No configuration com.example.typed"),
                "its file was deleted: nothing re-creates it\n" + restarted.describe());
        assertFalse(restarted.err().contains("Configuration " + GREETER_PID + " updated"), restarted.describe());
    }
}
