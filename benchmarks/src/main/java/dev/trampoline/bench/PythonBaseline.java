package dev.trampoline.bench;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs our Python script of the seed's scenario, if {@code python3} is there. */
final class PythonBaseline {

    record Result(String version, double spawnMillis, double callMicros, double callP99Micros) {
    }

    private final Result result;
    private final String skipped;

    private PythonBaseline(Result result, String skipped) {
        this.result = result;
        this.skipped = skipped;
    }

    static PythonBaseline run(Workspace workspace, int calls) {
        try {
            Path script = workspace.folder("python").resolve("pool_baseline.py");
            try (InputStream in = PythonBaseline.class.getResourceAsStream("/bench/python/pool_baseline.py")) {
                Files.copy(in, script);
            }
            Process p;
            try {
                p = new ProcessBuilder("python3", script.toString(), Integer.toString(calls))
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            } catch (java.io.IOException notInstalled) {
                return new PythonBaseline(null, "python3 is not installed: the Python baseline was skipped");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return new PythonBaseline(null, "the Python baseline failed (exit " + p.exitValue() + "): " + out);
            }
            Map<String, String> v = new HashMap<>();
            for (String kv : out.split("\\s+")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    v.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
            return new PythonBaseline(new Result("Python " + v.get("python"), Double.parseDouble(v.get("spawn_ms")),
                    Double.parseDouble(v.get("call_us_median")), Double.parseDouble(v.get("call_us_p99"))), null);
        } catch (Exception e) {
            return new PythonBaseline(null, "the Python baseline could not run: " + e);
        }
    }

    Result result() {
        return result;
    }

    String skipped() {
        return skipped;
    }
}
