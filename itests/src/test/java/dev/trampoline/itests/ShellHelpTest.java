package dev.trampoline.itests;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a first-time user meets: {@code help} on the tramp: commands names each parameter and shows examples,
 * and {@code tramp:call} takes a service by full name, by simple name, or by a quoted filter.
 */
class ShellHelpTest {

    @TempDir
    Path work;

    @Test
    void helpNamesTheParametersAndShowsAQuotedFilterExample() throws Exception {
        LauncherProcess p = LauncherProcess.run(work, String.join("\n", "help tramp:call", "help tramp:kill",
                "help tramp:spawn", "help tramp:children", "help tramp:bundleset", "help tramp:deploy", "help config:list",
                "help config:get", "help config:set", "help config:unset", "help config:delete", ""));

        String out = p.out();
        assertTrue(out.contains("tramp:call '(objectClass=*Primes)' countBelow 1000000"), p.describe());
        assertTrue(out.contains("tramp:call dev.trampoline.examples.greeter.Greeter greet World"), p.describe());
        assertTrue(out.contains("Quote a filter"), p.describe());
        assertTrue(out.contains("no matches found: *Primes"), "the shell's message, explained\n" + p.describe());
        assertTrue(out.contains("String   SERVICE: "), p.describe());
        assertTrue(out.contains("String   METHOD: "), p.describe());
        assertTrue(out.contains("String[]   ARGS: "), p.describe());
        assertTrue(out.contains("--timeout   TIMEOUT: "), p.describe());
        assertTrue(out.contains("long   PID: "), p.describe());
        assertTrue(out.contains("int   COUNT: "), p.describe());
        assertTrue(out.contains("String   PID: "), p.describe());
        assertTrue(out.contains("config:set dev.trampoline.examples.greeter greeting Bonjour"), p.describe());
        for (String command : new String[] {"call", "kill", "spawn", "children", "bundleset", "deploy", "list", "get",
            "set", "unset", "delete"}) {
            assertTrue(out.contains("\n" + command + " - "), command + " has a description\n" + p.describe());
            assertTrue(out.matches("(?s).*\n" + command + " - [^\n]*\n(   [^\n]*\n)*?   examples?:.*"),
                    command + " shows an example\n" + p.describe());
        }
        assertFalse(p.err().contains("failed"), p.describe());
    }

    @Test
    void serviceByQuotedFilterBySimpleNameAndAClearErrorOtherwise() throws Exception {
        Files.createDirectories(work.resolve("deploy"));
        Files.copy(Examples.greeterJar(), work.resolve("deploy/greeter.jar"));
        Files.copy(Examples.primesJar(), work.resolve("deploy/primes.jar"));

        LauncherProcess p = LauncherProcess.run(work, String.join("\n",
                "tramp:call '(objectClass=*Primes)' countBelow 1000",
                "tramp:call Greeter greet Simple",
                "tramp:call dev.trampoline.examples.greeter.Greeter greet Full",
                "tramp:call Nothing greet x",
                "tramp:call (objectClass=*Primes) countBelow 1000",
                // What Tab offers (the shell passes the index of the word being completed and the line's words).
                "echo SERVICES; tramp:candidates 1 [tramp:call dev]",
                "echo METHODS; tramp:candidates 3 [tramp:call --fresh Greeter g]",
                "echo TIMEOUT; (tramp:candidates 2 [tramp:call --timeout 5]) size",
                ""));

        assertTrue(p.out().contains("168\n(computed by child pid"), "the primes below 1000\n" + p.describe());
        assertTrue(p.out().contains("Hello, Simple!\n(computed by child pid"), p.describe());
        assertTrue(p.out().contains("Hello, Full!\n(computed by child pid"), p.describe());
        assertTrue(p.err().contains("tramp:call Nothing greet x: No service Nothing is registered; name its interface,"
                + " its simple name, or give a quoted filter such as '(objectClass=*Nothing)' (help tramp:call)"),
                p.describe());
        // Unquoted, the shell globs the filter before the command runs: its own message, which help explains.
        assertTrue(p.err().contains("no matches found: *Primes"), p.describe());
        String out = p.out().replace("\r", "");
        String services = out.substring(out.indexOf("SERVICES"), out.indexOf("METHODS"));
        assertTrue(services.contains("\ndev.trampoline.examples.greeter.Greeter\n"), p.describe());
        assertTrue(services.contains("\ndev.trampoline.examples.primes.Primes\n"), p.describe());
        String methods = out.substring(out.indexOf("METHODS"), out.indexOf("TIMEOUT"));
        assertTrue(methods.contains("\ngreet\n"), "the flag is no positional word\n" + p.describe());
        assertTrue(out.contains("TIMEOUT\n0\n"), "nothing for --timeout's value\n" + p.describe());
    }

    @Test
    void aSimpleNameThatSeveralInterfacesHaveIsRefusedWithTheirNames() throws Exception {
        Files.createDirectories(work.resolve("deploy"));
        TestBundle.named("test.things", "1.0.0")
                .importing("org.osgi.framework")
                .header("Bundle-Activator", "t.Activator")
                .source("t.one.Thing", "package t.one; public interface Thing { String name(); }")
                .source("t.two.Thing", "package t.two; public interface Thing { String name(); }")
                .source("t.Activator", "package t;\n"
                        + "public final class Activator implements org.osgi.framework.BundleActivator {\n"
                        + "  public void start(org.osgi.framework.BundleContext c) {\n"
                        + "    c.registerService(t.one.Thing.class, () -> \"one\", null);\n"
                        + "    c.registerService(t.two.Thing.class, () -> \"two\", null);\n"
                        + "  }\n"
                        + "  public void stop(org.osgi.framework.BundleContext c) { }\n"
                        + "}\n")
                .writeTo(work.resolve("deploy/things.jar"));

        LauncherProcess p = LauncherProcess.run(work, String.join("\n", "tramp:call Thing name",
                "tramp:call t.two.Thing name", ""));

        assertTrue(p.err().contains("tramp:call Thing name: Several service interfaces are named Thing: t.one.Thing,"
                + " t.two.Thing; give the full name"), p.describe());
        assertTrue(p.out().contains("two\n(computed by child pid"), p.describe());
    }
}
