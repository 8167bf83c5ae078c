package dev.trampoline.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.trampoline.runtime.remote.CallOptions;
import dev.trampoline.runtime.remote.RemoteExecutor;
import dev.trampoline.runtime.remote.RemoteTask;

/** How children are started: configured JVM options, and the class-data-sharing archive made once and reused. */
class ChildJvmTest {

    @TempDir
    Path root;
    DeployFixture fx;

    @AfterEach
    void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    private static String jvmArguments(RemoteExecutor executor) throws Exception {
        RemoteTask<String> task = context -> String.join(" ",
                java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments())
                + " | " + System.getProperty("trampoline.test.everywhere");
        return (String) executor.run(task, CallOptions.DEFAULT.withFresh(true)).getValue();
    }

    @Test
    void configuredOptionsReachEveryChildAndAChildServingCallsNeverDumpsAnArchive() throws Exception {
        fx = new DeployFixture(root, Map.of("trampoline.child.jvmOptions", "-Dtrampoline.test.everywhere=yes",
                "trampoline.child.jit", "quick", "trampoline.remote.allow", "dev.trampoline.itests.*"),
                "dev.trampoline.runtime.remote;version=2.2.0", "org.osgi.util.promise;version=1.3.0",
                "org.osgi.util.function;version=1.2.0");
        RemoteExecutor executor = fx.runtime().service(RemoteExecutor.class, Duration.ofSeconds(10));

        String arguments = jvmArguments(executor);

        assertTrue(arguments.endsWith("| yes"), "the configured option applies: " + arguments);
        assertTrue(arguments.contains("-XX:+UseSerialGC") && arguments.contains("-Xlog:all=warning:stderr"), arguments);
        assertTrue(arguments.contains("-XX:TieredStopAtLevel=1 -XX:CICompilerCount=1"), "the quick JIT: " + arguments);
        assertTrue(!ChildArchives.trains(arguments), "a child that serves calls never dumps: " + arguments);
    }

    /** What a child runs: its start phases, then each bundle's location, version and state, in id order. */
    private static String[] childBundles(RemoteExecutor executor) throws Exception {
        RemoteTask<String[]> task = context -> new String[] {System.getProperty("trampoline.child.phases"),
                java.util.Arrays.stream(context.getBundles()).map(b -> b.getBundleId() + " " + b.getLocation() + " "
                        + b.getVersion() + " " + b.getState()).collect(java.util.stream.Collectors.joining("\n"))};
        return (String[]) executor.run(task, CallOptions.DEFAULT.withFresh(true)).getValue();
    }

    /** A runtime with a dropped plugin (a bundle installed from a file: location) and its executor. */
    private RemoteExecutor runtimeWithGreeter() throws Exception {
        fx = new DeployFixture(root, Map.of("trampoline.remote.allow", "dev.trampoline.itests.*"),
                "dev.trampoline.runtime.remote;version=2.2.0", "org.osgi.util.promise;version=1.3.0",
                "org.osgi.util.function;version=1.2.0");
        Files.copy(Examples.greeterJar(), fx.deploy.resolve("greeter.jar"));
        Eventually.until("the greeter is ACTIVE", () -> fx.isActive("dev.trampoline.examples.greeter"), fx::describe);
        RemoteExecutor executor = fx.runtime().service(RemoteExecutor.class, Duration.ofSeconds(10));
        return executor;
    }

    @Test
    void aKnownBundleSetBootsFromItsPreparedCacheWithExactlyTheSameBundles() throws Exception {
        RemoteExecutor executor = runtimeWithGreeter();

        String[] first = childBundles(executor);
        String[] second = childBundles(executor);

        // one part of the child's start report (a child made of a spare reports that too)
        assertTrue(java.util.List.of(second[0].split(";")).contains("cache=prepared"),
                "the second child skips the installs: " + second[0]);
        assertEquals(first[1], second[1], "and runs the same bundles, with the same ids, in the same states");
        assertTrue(second[1].contains("greeter.jar"), second[1]);
    }

    @Test
    void aPreparedCacheThatDoesNotMatchItsSnapshotIsNotUsed() throws Exception {
        RemoteExecutor executor = runtimeWithGreeter();
        String[] installed = childBundles(executor);
        Path prepared;
        try (Stream<Path> files = Files.walk(root)) {
            prepared = files.filter(f -> f.getParent() != null && f.getParent().getFileName().toString().equals("prepared")
                    && !f.getFileName().toString().contains(".tmp-")).findFirst().orElseThrow();
        }
        // A bundle missing from the prepared cache: the framework would load one bundle too few.
        Path greeter;
        try (Stream<Path> bundles = Files.list(prepared)) {
            greeter = bundles.filter(b -> {
                try {
                    return Files.readString(b.resolve("bundle.info")).contains("greeter.jar");
                } catch (java.io.IOException e) {
                    return false;
                }
            }).findFirst().orElseThrow();
        }
        try (Stream<Path> walk = Files.walk(greeter)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }

        String[] fallback = childBundles(executor);

        assertTrue(java.util.List.of(fallback[0].split(";")).contains("cache=installed"),
                "installed from the store instead: " + fallback[0]);
        assertEquals(installed[1], fallback[1], "with exactly the snapshot's bundles");
    }

    /**
     * Whether a child's component runtime caches what it parses, then the services its components registered:
     * each one's component name and interfaces, sorted.
     */
    private static String componentServices(RemoteExecutor executor) throws Exception {
        RemoteTask<String> task = context -> "ds.cache.metadata=" + context.getProperty("ds.cache.metadata") + "\n"
                + java.util.Arrays.stream(context.getAllServiceReferences(null, null))
                .filter(r -> r.getProperty("component.name") != null)
                .map(r -> r.getProperty("component.name") + " "
                        + java.util.Arrays.toString((String[]) r.getProperty("objectClass")))
                .sorted().collect(java.util.stream.Collectors.joining("\n"));
        return (String) executor.run(task, CallOptions.DEFAULT.withFresh(true)).getValue();
    }

    /** The component runtime's parsed descriptions, once a child that booted from the prepared cache kept them. */
    private Path keptComponentMetadata() {
        Eventually.until("a child kept the parsed component descriptions", () -> findKeptComponentMetadata() != null);
        return findKeptComponentMetadata();
    }

    private Path findKeptComponentMetadata() {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.getFileName().toString().equals("componentMetadataStore")
                    && f.toString().contains("prepared")).findFirst().orElse(null);
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return null; // files come and go while we look
        }
    }

    @Test
    void componentDescriptionsParsedByOneChildAreReadByLaterChildrenFromThePreparedCache() throws Exception {
        RemoteExecutor executor = runtimeWithGreeter();
        childBundles(executor); // installs, and prepares the cache
        String parsing = componentServices(executor); // boots from it, parses, and keeps what it parsed as it stops
        Path kept = keptComponentMetadata();
        FileTime keptAt = Files.getLastModifiedTime(kept);

        String reading = componentServices(executor);

        assertTrue(parsing.startsWith("ds.cache.metadata=true") && parsing.contains("examples.greeter"), parsing);
        assertEquals(parsing, reading, "a child reading the kept descriptions has the same components");
        Thread.sleep(500); // time for the reading child to stop: it found the same descriptions, so it rewrites none
        assertEquals(keptAt, Files.getLastModifiedTime(kept), "an equal copy is not written again");
    }

    @Test
    void aDamagedCopyOfTheComponentDescriptionsIsParsedAgainAndReplaced() throws Exception {
        RemoteExecutor executor = runtimeWithGreeter();
        childBundles(executor);
        String parsing = componentServices(executor);
        Path kept = keptComponentMetadata();
        byte[] whole = Files.readAllBytes(kept);
        Files.write(kept, java.util.Arrays.copyOf(whole, whole.length / 2)); // cut short, say by a full disk

        String reading = componentServices(executor);

        assertEquals(parsing, reading, "the child parsed what it could not read, and has the same components");
        Eventually.until("the damaged copy was replaced by the child's own", () -> {
            try {
                return java.util.Arrays.equals(whole, Files.readAllBytes(kept));
            } catch (java.io.IOException e) {
                return false;
            }
        });
    }

    /** Through the executable jar: the class path a class-data archive can be made for. */
    @Test
    void classDataArchiveIsMadeOnceByATrainingChildAndUsedByLaterChildren() throws Exception {
        Files.createDirectories(root.resolve("deploy"));
        Files.copy(Examples.greeterJar(), root.resolve("deploy/greeter.jar"));
        try (LauncherProcess p = LauncherProcess.start(root)) {
            p.type("tramp:call dev.trampoline.examples.greeter.Greeter greet First\n");
            Eventually.until("the first call answered", () -> p.out().contains("Hello, First!"), p::describe);
            long first = Long.parseLong(p.out().replaceAll("(?s).*computed by child pid (\\d+).*", "$1"));
            Eventually.until("the training child wrote the archive", () -> archive() != null, p::describe);

            p.type("tramp:kill " + first + "\ntramp:call dev.trampoline.examples.greeter.Greeter greet Second\n");
            Eventually.until("the second call answered", () -> p.out().contains("Hello, Second!"), p::describe);
            long second = Long.parseLong(p.out().replaceAll("(?s).*Hello, Second!\\s+\\(computed by child pid (\\d+).*", "$1"));

            String arguments = String.join(" ", ProcessHandle.of(second).orElseThrow().info().arguments()
                    .orElse(new String[0]));
            assertTrue(arguments.contains(ChildArchives.useOption(archive())), arguments);
        }
    }

    private Path archive() {
        try (Stream<Path> files = Files.walk(root.resolve(".trampoline"))) {
            return files.filter(f -> f.getFileName().toString().matches(ChildArchives.FILE_NAME)).findFirst().orElse(null);
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return null; // files come and go while we look
        }
    }
}
