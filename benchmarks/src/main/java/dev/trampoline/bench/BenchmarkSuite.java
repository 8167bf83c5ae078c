package dev.trampoline.bench;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.trampoline.launcher.Trampoline;
import dev.trampoline.launcher.TrampolineRuntime;

/**
 * Runs every benchmark with its baseline and writes the table. Arguments: {@code --quick} (a tiny setting
 * that only proves the suite runs), {@code --out FILE} (Markdown; default BENCHMARKS.md).
 */
public final class BenchmarkSuite {

    private BenchmarkSuite() {
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.FULL;
        Path out = Path.of("BENCHMARKS.md");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> settings = Settings.QUICK;
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (use --quick, --out FILE)");
            }
        }
        try {
            run(settings, out);
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1); // a failed run must end, and say so
        }
        System.exit(0); // children and pools are closed; do not wait for stray daemon threads
    }

    static void run(Settings settings, Path out) throws Exception {
        System.out.println("Trampoline benchmarks, " + settings.mode() + ", on " + Report.machine());
        Report report = new Report();
        double fresh;
        try (Workspace ws = new Workspace()) {
            PythonBaseline python = PythonBaseline.run(ws, settings.warmCalls());
            if (python.skipped() != null) {
                report.note(python.skipped());
            }
            Path deploy = ws.folder("deploy");
            for (String b : new String[] {"greeter", "primes", "jobs"}) {
                Files.copy(ws.bundle(b), deploy.resolve(b + ".jar"));
            }
            try (TrampolineRuntime runtime = Trampoline.builder().deployFolder(deploy).storage(ws.folder("storage"))
                    .logToConsole(false).logLevel("WARN")
                    .systemPackagesExtra("dev.trampoline.runtime.remote;version=1.0.0")
                    .systemPackagesExtra("org.osgi.util.promise;version=1.3.0")
                    .systemPackagesExtra("org.osgi.util.function;version=1.2.0")
                    // the benchmarks' own functions travel to the children
                    .frameworkProperty("trampoline.remote.allow", "dev.trampoline.bench.*")
                    .start()) {
                ChildFigures children = new ChildFigures(runtime, ws, settings, report);
                fresh = children.freshChild();
                children.warmRoundTrip(python);
                children.throughput();
                children.cpuBound();
                children.idleMemory();
                children.bigPayload();
                new DeployFigures(ws, settings, report).run(runtime.bundleContext(), deploy);
            }
            // Its own runtime: the deploy folder must hold the greeter API for the renamed copies.
            Path standbyDeploy = ws.folder("standby-deploy");
            Files.copy(ws.bundle("greeter"), standbyDeploy.resolve("greeter.jar"));
            new StandbyFigure(ws, settings, report).run(fresh);
        }
        new SerializationFigures(settings, report).run();
        report.writeMarkdown(out, settings.mode());
        System.out.println("Wrote " + out.toAbsolutePath());
    }
}
