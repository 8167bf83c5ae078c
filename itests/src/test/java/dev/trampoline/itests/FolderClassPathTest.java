package dev.trampoline.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.trampoline.launcher.Trampoline;
import dev.trampoline.launcher.TrampolineRuntime;
import dev.trampoline.runtime.remote.CallOptions;
import dev.trampoline.runtime.remote.RemoteExecutor;
import dev.trampoline.runtime.remote.RemoteTask;

/**
 * A host embedding the runtime from class folders (an IDE, {@code exec:java}, this test run) starts children on
 * that class path, with which the JVM can make no class-data-sharing archive: children then run without one,
 * and no JVM is started only to fail.
 */
class FolderClassPathTest {

    private static final RemoteTask<String> PID_AND_CLASS_PATH = context -> ProcessHandle.current().pid() + "\n"
            + System.getProperty("java.class.path");

    @Test
    void childrenOnAClassPathWithFoldersRunWithoutTheArchiveAndNoneFailsToStart(@TempDir Path root)
            throws Exception {
        Path storage = root.resolve("storage");
        try (TrampolineRuntime runtime = Trampoline.builder().storage(storage).logToConsole(false).logLevel("DEBUG")
                .frameworkProperty("trampoline.remote.allow", "dev.trampoline.itests.*")
                .systemPackagesExtra("dev.trampoline.runtime.remote;version=2.2.0")
                .systemPackagesExtra("org.osgi.util.promise;version=1.3.0")
                .systemPackagesExtra("org.osgi.util.function;version=1.2.0").start()) {
            RemoteExecutor executor = runtime.service(RemoteExecutor.class, Duration.ofSeconds(10));

            String[] fresh = ((String) DeployFixture.await(executor.run(PID_AND_CLASS_PATH,
                    CallOptions.DEFAULT.withFresh(true)))).split("\n", 2);
            assertTrue(hasNonEmptyFolder(fresh[1]), "children run on this test's class folders: " + fresh[1]);
            String[] reused = ((String) DeployFixture.await(executor.run(PID_AND_CLASS_PATH,
                    CallOptions.DEFAULT))).split("\n", 2);
            assertNotEquals(fresh[0], reused[0], "a reusable child besides the single-use one");

            Eventually.until("a spare JVM is started", () -> childJvms().anyMatch(a -> a.contains("--spare")));
            List<List<String>> jvms = childJvms().toList();
            assertTrue(jvms.stream().flatMap(List::stream).noneMatch(a -> a.contains("SharedArchiveFile")
                    || a.contains("AOTCache") || ChildArchives.trains(a)), "no archive options, the spare's included: "
                    + jvms);
        } // closing waits for every child to exit: what they printed is in the log by then
        String log = Files.readString(storage.resolve("log").resolve("trampoline.log"));
        assertFalse(log.contains("Error occurred during initialization of VM")
                || log.contains("Cannot have non-empty directory"), "no child failed to start:\n" + log);
        assertEquals(1, log.lines().filter(l -> l.contains("Children run without a class-data-sharing archive")
                && l.contains("DEBUG")).count(), "said once, at DEBUG:\n" + log);
    }

    private static boolean hasNonEmptyFolder(String classPath) {
        return Arrays.stream(classPath.split(File.pathSeparator)).map(Path::of).filter(Files::isDirectory)
                .anyMatch(dir -> {
                    try (Stream<Path> entries = Files.list(dir)) {
                        return entries.findAny().isPresent();
                    } catch (IOException e) {
                        return false;
                    }
                });
    }

    /** The arguments of each child JVM of this JVM now. */
    private static Stream<List<String>> childJvms() {
        return ProcessHandle.current().children().map(p -> Arrays.asList(p.info().arguments().orElse(new String[0])))
                .filter(a -> a.stream().anyMatch(s -> s.startsWith("dev.trampoline.launcher.internal.child.")));
    }
}
