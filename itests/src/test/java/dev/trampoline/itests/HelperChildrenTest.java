package dev.trampoline.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JVMs the runtime starts for its own purposes (the class-data training child, the spare JVM) run no
 * plugin's code: only the parent and the children that serve calls start the plugins.
 */
class HelperChildrenTest {

    @TempDir
    Path work;

    @Test
    void trainingChildAndSpareJvmStartNoPluginBundle() throws Exception {
        Path marks = Files.createDirectories(work.resolve("marks"));
        Files.createDirectories(work.resolve("deploy"));
        // Its activator leaves a file named after the JVM it runs in.
        TestBundle.named("test.marker", "1.0.0").importing("org.osgi.framework")
                .header("Bundle-Activator", "marker.Activator")
                .source("marker.Activator", "package marker;\n"
                        + "public final class Activator implements org.osgi.framework.BundleActivator {\n"
                        + "  public void start(org.osgi.framework.BundleContext c) throws Exception {\n"
                        + "    java.nio.file.Files.createFile(java.nio.file.Path.of(c.getProperty(\"test.marks\"))\n"
                        + "        .resolve(Long.toString(ProcessHandle.current().pid())));\n"
                        + "  }\n"
                        + "  public void stop(org.osgi.framework.BundleContext c) { }\n"
                        + "}\n")
                .writeTo(work.resolve("deploy/marker.jar"));
        Files.copy(Examples.primesJar(), work.resolve("deploy/primes.jar"));

        try (LauncherProcess p = LauncherProcess.start(work, "-Dtest.marks=" + marks)) {
            p.type("tramp:call dev.trampoline.examples.primes.Primes countBelow 100\n");
            Eventually.until("the call answered", () -> p.out().contains("(computed by child pid"), p::describe);
            long child = Long.parseLong(p.out().replaceAll("(?s).*computed by child pid (\\d+).*", "$1"));
            Eventually.until("the training child wrote the class-data archive", () -> archiveWritten(), p::describe);
            p.typeUntil("tramp:children\n", "Spare JVM"); // started a little after the call's child

            Set<String> started = new TreeSet<>();
            try (Stream<Path> files = Files.list(marks)) {
                files.forEach(f -> started.add(f.getFileName().toString()));
            }
            long parent = p.process().pid();
            assertEquals(new TreeSet<>(Set.of(Long.toString(parent), Long.toString(child))), started,
                    "the JVMs the plugin started in\n" + p.describe());
        }
    }

    private boolean archiveWritten() {
        try (Stream<Path> files = Files.walk(work)) {
            return files.anyMatch(f -> f.getFileName().toString().matches(ChildArchives.FILE_NAME));
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return false; // a file went while walking: look again
        }
    }
}
