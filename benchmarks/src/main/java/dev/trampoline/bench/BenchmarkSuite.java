package dev.trampoline.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.trampoline.launcher.Trampoline;
import dev.trampoline.launcher.TrampolineRuntime;

/**
 * Runs every benchmark with its baseline and writes the table. Arguments: {@code --quick} (a tiny setting
 * that only proves the suite runs), {@code --out FILE} (Markdown; default BENCHMARKS.md), {@code --only
 * GROUP,...} (some figures, for working on one of them; the table is then written only where {@code --out}
 * says, so a partial run never replaces the committed one).
 */
public final class BenchmarkSuite {

    private BenchmarkSuite() {
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.FULL;
        Path out = null;
        Set<String> only = GROUPS;
        String sshHost = null;
        Path sshConfig = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> settings = Settings.QUICK;
                case "--ssh-host" -> sshHost = args[++i];
                case "--ssh-config" -> sshConfig = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--only" -> only = groups(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (use --quick, --out FILE, --only " + String.join(",", GROUPS)
                        + ", --ssh-host ALIAS [--ssh-config FILE])");
            }
        }
        if (out == null && only == GROUPS) {
            out = Path.of("BENCHMARKS.md");
        }
        try {
            run(settings, out, only, sshHost, sshConfig);
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1); // a failed run must end, and say so
        }
        System.exit(0); // children and pools are closed; do not wait for stray daemon threads
    }

    /** The groups of figures, in the order they run. */
    static final Set<String> GROUPS = Collections.unmodifiableSet(new LinkedHashSet<>(List.of("fresh", "roundtrip",
            "throughput", "cpu", "memory", "payload", "bulk", "deploy", "standby", "shell", "realset", "serialization",
            "ssh")));

    private static Set<String> groups(String list) {
        Set<String> chosen = new LinkedHashSet<>(Arrays.asList(list.split(",")));
        for (String g : chosen) {
            if (!GROUPS.contains(g)) {
                throw new IllegalArgumentException("unknown group " + g + " (groups: " + String.join(",", GROUPS) + ")");
            }
        }
        return chosen;
    }

    /** A runtime on {@code deploy} that shares with its host what the benchmarks call through. */
    private static Trampoline runtime(Path deploy, Path storage) {
        return Trampoline.builder().deployFolder(deploy).storage(storage).logToConsole(false).logLevel("WARN")
                .systemPackagesExtra("dev.trampoline.runtime.remote;version=2.2.0")
                .systemPackagesExtra("org.osgi.util.promise;version=1.3.0")
                .systemPackagesExtra("org.osgi.util.function;version=1.2.0")
                // the benchmarks' own functions travel to the children
                .frameworkProperty("trampoline.remote.allow", "dev.trampoline.bench.*");
    }

    static void run(Settings settings, Path out) throws Exception {
        run(settings, out, GROUPS, null, null);
    }

    /**
     * Runs the chosen groups; writes the table to {@code out} unless it is null. The ssh group needs a host
     * ({@code sshHost}, an address or an alias of the user's ssh config or of {@code sshConfig}).
     */
    static void run(Settings settings, Path out, Set<String> only, String sshHost, Path sshConfig) throws Exception {
        System.out.println("Trampoline benchmarks, " + settings.mode() + ", on " + Report.machine());
        Report report = new Report();
        double fresh = Double.NaN;
        try (Workspace ws = new Workspace()) {
            PythonBaseline python = null;
            if (only.contains("roundtrip")) {
                python = PythonBaseline.run(ws, settings.warmCalls());
                if (python.skipped() != null) {
                    report.note(python.skipped());
                }
            }
            Path deploy = ws.folder("deploy");
            for (String b : new String[] {"greeter", "primes", "jobs"}) {
                Files.copy(ws.bundle(b), deploy.resolve(b + ".jar"));
            }
            try (TrampolineRuntime runtime = runtime(deploy, ws.folder("storage")).start()) {
                ChildFigures children = new ChildFigures(runtime, ws, settings, report);
                if (only.contains("fresh") || only.contains("standby")) { // the standby figure's baseline
                    fresh = children.freshChild();
                }
                if (only.contains("roundtrip")) {
                    children.warmRoundTrip(python);
                }
                if (only.contains("throughput")) {
                    children.throughput();
                }
                if (only.contains("cpu")) {
                    children.cpuBound();
                }
                if (only.contains("memory")) {
                    children.idleMemory();
                }
                if (only.contains("payload")) {
                    children.bigPayload();
                }
                if (only.contains("bulk")) {
                    new BulkFigures(runtime, ws, settings, report).run();
                }
                if (only.contains("deploy")) {
                    new DeployFigures(ws, settings, report).run(runtime.bundleContext(), deploy);
                }
            }
            if (only.contains("roundtrip")) {
                // The same round trip with callers that sleep at once: what the brief active wait is worth.
                try (TrampolineRuntime sleeping = runtime(deploy, ws.folder("storage-sleeping"))
                        .frameworkProperty("trampoline.remote.spinMicros", "0").start()) {
                    new ChildFigures(sleeping, ws, settings, report).sleepingRoundTrip(python);
                }
            }
            if (only.contains("standby")) {
                // Its own runtime: the deploy folder must hold the greeter API for the renamed copies.
                Path standbyDeploy = ws.folder("standby-deploy");
                Files.copy(ws.bundle("greeter"), standbyDeploy.resolve("greeter.jar"));
                new StandbyFigure(ws, settings, report).run(fresh);
            }
            if (only.contains("shell")) {
                new ShellFigures(ws, settings, report).run();
            }
            if (only.contains("realset")) {
                new RealSetFigures(ws, settings, report).run();
            }
            if (only.contains("ssh")) {
                if (sshHost == null) {
                    report.note("The SSH figures were skipped: no host was given (--ssh-host ALIAS, and"
                            + " --ssh-config FILE if the alias is not in your ssh config).");
                } else {
                    new SshFigures(ws, settings, report).run(sshHost, sshConfig, runtime(deploy,
                            ws.folder("storage-ssh")));
                }
            }
        }
        if (only.contains("serialization")) {
            new SerializationFigures(settings, report).run();
        }
        if (out != null) {
            report.writeMarkdown(out, settings.mode());
            System.out.println("Wrote " + out.toAbsolutePath());
        }
    }
}
