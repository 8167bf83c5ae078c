package dev.trampoline.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The case start levels per deploy folder are for, with the real bundles from Maven Central: Aries SPI Fly must
 * run before SLF4J 2's {@code LoggerFactory} is first loaded, or SLF4J's {@code ServiceLoader} call is not woven,
 * finds no provider and falls back to its no-operation logger for good; and slf4j-simple, the provider, must have
 * started, for SPI Fly registers it as it starts. So SPI Fly, ASM, SLF4J and slf4j-simple sit in a folder at level
 * 2, and a plugin that logs as it starts in a folder at level 3, named first so that starting in install order would
 * start the plugin first. It gets slf4j-simple's logger in the runtime and again in the child JVM a call runs in.
 */
class SpiFlyStartLevelTest {

    private static final String SIMPLE_LOGGER = "org.slf4j.simple.SimpleLogger";

    @TempDir
    Path work;

    @Test
    void spiFlyInALowerLevelFolderWeavesSlf4jForAPluginThatLogsAsItStarts() throws Exception {
        Path apps = Files.createDirectories(work.resolve("apps"));
        Path platform = Files.createDirectories(work.resolve("platform"));
        Path marks = Files.createDirectories(work.resolve("marks"));
        loggingPlugin().writeTo(apps.resolve("a-plugin.jar"));
        for (Path jar : Examples.spiFlyBundles()) {
            Files.copy(jar, platform.resolve(jar.getFileName()));
        }

        try (LauncherProcess p = LauncherProcess.start(work, "--deploy", "apps@3", "--deploy", "platform@2",
                "-Dtest.marks=" + marks)) {
            p.type("tramp:call '(test.name=test.slf4j.plugin)' get\n");
            Eventually.until("the child answered", () -> p.out().contains("(computed by child pid"), p::describe);

            long child = Long.parseLong(p.out().replaceAll("(?s).*computed by child pid (\\d+).*", "$1"));
            assertTrue(p.out().contains(SIMPLE_LOGGER + "\n(computed by child pid"), p.describe());
            assertEquals(SIMPLE_LOGGER, Files.readString(marks.resolve(Long.toString(p.process().pid()))),
                    "the logger the plugin got in the runtime\n" + p.describe());
            assertEquals(SIMPLE_LOGGER, Files.readString(marks.resolve(Long.toString(child))),
                    "the logger the plugin got in the child\n" + p.describe());
            assertTrue(p.err().contains("INFO test.plugin - started"),
                    "slf4j-simple wrote the plugin's line\n" + p.describe());
        }
    }

    /**
     * Logs through SLF4J as it starts (found by reflection: the test compiles without SLF4J), records the logger's
     * class in a file named after its JVM and offers it as a {@code Supplier}.
     */
    private static TestBundle loggingPlugin() {
        return TestBundle.named("test.slf4j.plugin", "1.0.0").importing("org.osgi.framework,org.slf4j")
                .header("Bundle-Activator", "plugin.Activator")
                .source("plugin.Activator", "package plugin;\n"
                        + "public final class Activator implements org.osgi.framework.BundleActivator {\n"
                        + "  public void start(org.osgi.framework.BundleContext c) throws Exception {\n"
                        + "    Object log = c.getBundle().loadClass(\"org.slf4j.LoggerFactory\")\n"
                        + "        .getMethod(\"getLogger\", String.class).invoke(null, \"test.plugin\");\n"
                        + "    log.getClass().getMethod(\"info\", String.class).invoke(log, \"started\");\n"
                        + "    String name = log.getClass().getName();\n"
                        + "    java.nio.file.Files.writeString(java.nio.file.Path.of(c.getProperty(\"test.marks\"))\n"
                        + "        .resolve(Long.toString(ProcessHandle.current().pid())), name);\n"
                        + "    java.util.Hashtable<String, Object> p = new java.util.Hashtable<>();\n"
                        + "    p.put(\"test.name\", \"test.slf4j.plugin\");\n"
                        + "    java.util.function.Supplier<String> s = () -> name;\n"
                        + "    c.registerService(java.util.function.Supplier.class, s, p);\n"
                        + "  }\n"
                        + "  public void stop(org.osgi.framework.BundleContext c) { }\n"
                        + "}\n");
    }
}
