package dev.trampoline.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One storage folder, one live runtime, across real launcher processes: a second is refused before it touches
 * anything; a killed one blocks nobody. (Two runtimes in one JVM: {@link EmbeddingTest}.)
 */
class OneRuntimePerStorageTest {

    @TempDir
    Path work;

    @Test
    void secondRuntimeOnTheSameStorageExitsOneNamingFolderAndPidAndTheFirstRunsOn() throws Exception {
        Path storage = work.resolve(".trampoline");
        try (LauncherProcess first = LauncherProcess.start(work)) { // commands from standard input, kept open
            Eventually.until("the first runtime started", () -> first.err().contains("Started in"), first::describe);
            long cacheChanged = Files.getLastModifiedTime(storage.resolve("cache")).toMillis();

            LauncherProcess second = LauncherProcess.run(work, "", "--exec", "lb");

            assertEquals(1, second.exitCode(), second.describe());
            List<String> refusal = second.err().lines().filter(l -> l.contains("cannot start")).toList();
            assertEquals(1, refusal.size(), second.err());
            assertTrue(refusal.get(0).contains(storage.toString()) && refusal.get(0).contains(
                    "pid " + first.process().pid()), "names the folder and the other runtime's pid: " + refusal);
            assertEquals(cacheChanged, Files.getLastModifiedTime(storage.resolve("cache")).toMillis(),
                    "the framework cache is not touched");
            first.type("lb -s\n");
            Eventually.until("the first runtime still answers",
                    () -> first.out().contains("dev.trampoline.runtime.core"), first::describe);
        }
    }

    @Test
    void restartAfterTheHolderWasKilledStartsNormally() throws Exception {
        try (LauncherProcess holder = LauncherProcess.start(work, "--no-shell")) {
            Eventually.until("the holder started", () -> holder.err().contains("Started in"), holder::describe);
            holder.process().destroyForcibly(); // SIGKILL: the lock file stays, the OS lock goes with the process
            holder.awaitExit();
        }
        assertTrue(Files.exists(work.resolve(".trampoline/lock")));

        LauncherProcess next = LauncherProcess.run(work, "", "--exec", "lb -s");

        assertEquals(0, next.exitCode(), next.describe());
        assertTrue(next.out().contains("dev.trampoline.runtime.core"), next.describe());
    }
}
