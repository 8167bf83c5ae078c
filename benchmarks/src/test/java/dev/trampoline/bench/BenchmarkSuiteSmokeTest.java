package dev.trampoline.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark command still runs, end to end, on a tiny setting. Its figures are not checked. */
class BenchmarkSuiteSmokeTest {

    @TempDir
    Path dir;

    @Test
    void quickRunMeasuresEveryFigureAndWritesTheTable() throws Exception {
        Path out = dir.resolve("BENCHMARKS.md");

        BenchmarkSuite.run(Settings.QUICK, out);

        String md = Files.readString(out);
        for (String figure : new String[] {"fresh child, submit → result", "warm call round trip",
                "small-call throughput", "CPU-bound calls", "idle child resident memory", "byte[] argument and result",
                "jar dropped → bundle ACTIVE", "first call after a hot deploy, standby child present",
                "serialization of a small call", "deserialization of a 64 KiB byte[]", "bulk call of x -> x + 1",
                "fresh child through the shell, 1 calls back to back",
                "dropped into a running launcher's empty deploy folder"}) {
            assertTrue(md.contains(figure), figure + " missing:\n" + md);
        }
        assertTrue(md.contains("cores"), "the machine is described");
    }
}
