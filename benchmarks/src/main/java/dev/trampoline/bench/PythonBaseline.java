package dev.trampoline.bench;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs our Python scripts of the baselines (the seed's scenario, Pool.map), if {@code python3} is there. */
final class PythonBaseline {

    record Result(String version, double spawnMillis, double callMicros, double callP99Micros) {
    }

    /**
     * {@code multiprocessing.Pool.map} of {@code x + 1} with 2 spawn workers: the best median rate over the chunk
     * sizes tried, that chunk size, and every size's median ({@code chunk_SIZE=RATE} words).
     */
    record BulkResult(String version, double bestPerSecond, int bestChunk, String allSizes) {
    }

    /** A script that could not run: why. */
    private static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        Unavailable(String why) {
            super(why);
        }
    }

    private final Result result;
    private final String skipped;

    private PythonBaseline(Result result, String skipped) {
        this.result = result;
        this.skipped = skipped;
    }

    static PythonBaseline run(Workspace workspace, int calls) {
        try {
            Map<String, String> v = script(workspace, "pool_baseline.py", Integer.toString(calls));
            return new PythonBaseline(new Result("Python " + v.get("python"), Double.parseDouble(v.get("spawn_ms")),
                    Double.parseDouble(v.get("call_us_median")), Double.parseDouble(v.get("call_us_p99"))), null);
        } catch (Unavailable e) {
            return new PythonBaseline(null, e.getMessage());
        }
    }

    /** The Pool.map baseline over {@code inputs} integers, {@code repeats} runs per chunk size; null with why. */
    static BulkResult bulk(Workspace workspace, int inputs, int repeats, List<String> skipped) {
        try {
            Map<String, String> v = script(workspace, "bulk_baseline.py", Integer.toString(inputs),
                    Integer.toString(repeats));
            List<String> sizes = new ArrayList<>();
            v.forEach((k, rate) -> {
                if (k.startsWith("chunk_")) {
                    sizes.add(k.substring(6) + ": " + Report.format(Double.parseDouble(rate)));
                }
            });
            return new BulkResult("Python " + v.get("python"), Double.parseDouble(v.get("best_per_s")),
                    Integer.parseInt(v.get("best_chunk")), String.join(", ", sizes));
        } catch (Unavailable e) {
            skipped.add(e.getMessage());
            return null;
        }
    }

    /** Runs bench/python/{@code name} with {@code args}: the {@code key=value} words it printed. */
    private static Map<String, String> script(Workspace workspace, String name, String... args) throws Unavailable {
        try {
            Path script = workspace.folder("python").resolve(name);
            try (InputStream in = PythonBaseline.class.getResourceAsStream("/bench/python/" + name)) {
                Files.copy(in, script);
            }
            List<String> command = new ArrayList<>(List.of("python3", script.toString()));
            command.addAll(List.of(args));
            Process p;
            try {
                p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            } catch (java.io.IOException notInstalled) {
                throw new Unavailable("python3 is not installed: the Python baseline was skipped");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new Unavailable("the Python baseline " + name + " failed (exit " + p.exitValue() + "): " + out);
            }
            Map<String, String> v = new HashMap<>();
            for (String kv : out.split("\\s+")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    v.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
            return v;
        } catch (Unavailable e) {
            throw e;
        } catch (Exception e) {
            throw new Unavailable("the Python baseline " + name + " could not run: " + e);
        }
    }

    Result result() {
        return result;
    }

    String skipped() {
        return skipped;
    }
}
