package dev.trampoline.bench;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The bundles users deploy (Jackson, Guava, SPI Fly with ASM, Felix HTTP Jetty and the Web Console, EventAdmin,
 * Metatype, SLF4J, Commons, Snappy, JNA: the benchmark module's {@code realset} dependencies) plus two plugins of
 * ours with their configurations: the greeter, and jsonrender, which renders its configuration with the set's
 * Jackson. Trampoline's launcher, as a user runs it, making its first call (jsonrender's, so the child loads
 * Jackson) in a child, against plain Felix installing and starting the same bundles (and the runtime's own),
 * setting the same configurations and making the same call in its own JVM. Per turn the launcher runs three
 * times: started on an empty deploy folder, the set then dropped into it at once; started on a new storage whose
 * deploy folder holds the set; and restarted on that storage.
 */
final class RealSetFigures {

    private static final String TITLE = "Real set";
    private static final List<String> CALL = List.of("dev.trampoline.examples.jsonrender.JsonRenderer", "render",
            "bench");
    private static final String COMMAND = "tramp:call " + String.join(" ", CALL);
    /** What the answer holds when the call reached the plugin with its configuration. */
    private static final String ANSWER = "{\"title\":\"" + TITLE + "\",\"subject\":\"bench\"";

    private final Workspace workspace;
    private final Settings settings;
    private final Report report;

    RealSetFigures(Workspace workspace, Settings settings, Report report) {
        this.workspace = workspace;
        this.settings = settings;
        this.report = report;
    }

    void run() throws Exception {
        List<Path> jars = realSet();
        if (jars.isEmpty()) {
            report.note("The real bundle set figures were skipped: no jars in " + realSetFolder()
                    + " (built by ./mvnw package in benchmarks).");
            return;
        }
        List<Path> bundles = new ArrayList<>(jars);
        bundles.add(workspace.bundle("greeter"));
        bundles.add(workspace.bundle("jsonrender"));
        List<Path> configs = configurations();
        List<Path> files = new ArrayList<>(configs);
        files.addAll(bundles);
        DroppedSet dropped = new DroppedSet(bundles, configs);
        Samples naive = new Samples();
        Samples drop = new Samples();
        Samples dropSettled = new Samples();
        Samples dropCall = new Samples();
        Set<String> notStarted = new TreeSet<>();
        Samples emptyCall = new Samples();
        Samples emptyWhole = new Samples();
        Samples restartedCall = new Samples();
        Samples restartedWhole = new Samples();
        for (int i = 0; i < settings.repeats(); i++) {
            naive.add(NaiveFelix.timedFirstCall(workspace, CALL, files, answer -> answer.contains(ANSWER)));
            Path dropRun = workspace.folder("realset-drop-" + i);
            try (LauncherProcess launcher = LauncherProcess.spawn(dropRun.resolve("storage"),
                    Files.createDirectories(dropRun.resolve("deploy")))) {
                launcher.awaitStarted();
                long t0 = System.nanoTime();
                dropped.copyInto(dropRun.resolve("deploy"));
                notStarted.addAll(dropped.awaitApplied(launcher));
                long typed = System.nanoTime();
                call(launcher);
                long answered = System.nanoTime();
                launcher.exit();
                drop.add((answered - t0) / 1e6);
                dropSettled.add((typed - t0) / 1e6);
                dropCall.add((answered - typed) / 1e6);
            }
            Path run = workspace.folder("realset-" + i);
            Path deploy = Files.createDirectories(run.resolve("deploy"));
            for (Path file : files) {
                Files.copy(file, deploy.resolve(file.getFileName()));
            }
            Session empty = firstCall(run);
            emptyCall.add(empty.call());
            emptyWhole.add(empty.whole());
            Session restarted = firstCall(run);
            restartedCall.add(restarted.call());
            restartedWhole.add(restarted.whole());
        }
        String baseline = "plain Felix installing and starting the same " + bundles.size()
                + " bundles and the runtime's, then the same call (whole process)";
        String set = "real bundle set (" + bundles.size() + " bundles)";
        report.add(new Figure(set + ", dropped into a running launcher's empty deploy folder: drop → first call's"
                + " answer", "ms", drop, 90, baseline, naive.median(), false, "≤ 1.0× baseline"));
        report.add(new Figure(set + ", runtime started on an empty storage: first call (typed once it is up)", "ms",
                emptyCall, 90, baseline, naive.median(), false, "≤ 1.0× baseline"));
        report.add(new Figure(set + ", the same: whole process (start, first call, exit)", "ms", emptyWhole, 90,
                baseline, naive.median(), false, "-"));
        report.add(new Figure(set + ", runtime restarted on that storage: first call", "ms", restartedCall, 90,
                baseline, naive.median(), false, "≤ 0.3× baseline"));
        report.add(new Figure(set + ", restarted: whole process", "ms", restartedWhole, 90, baseline,
                naive.median(), false, "-"));
        report.note("Real bundle set: the launcher reads its commands from standard input; the call is"
                + " `" + COMMAND + "` (a plugin of ours that renders its configuration with the set's Jackson, so"
                + " the child loads Jackson), with the greeter and both plugins' .cfg files beside it. The first call"
                + " is timed from the command written, once the launcher said it started (the deploy folder installed"
                + " and started), to the answer; the whole process from its spawn to the answer. The baseline's"
                + " figure is its whole process: JVM start, Felix, the runtime's bundles and the set installed and"
                + " started, the same configurations set through Config Admin, the same call in its own JVM.");
        report.note("Real bundle set dropped: the launcher was up (it said \"[launcher] Started in\") on an empty"
                + " deploy folder and storage; the two .cfg files, then the jars, were copied into the folder at"
                + " once, and the time runs from the first file written to the answer. The shell fails a call for a"
                + " service not yet registered at once (\"No service … is registered\") rather than wait for it, so"
                + " the harness typed the call once the launcher's log said each dropped jar started (or why it did"
                + " not) and each configuration was created: drop → all applied " + Report.format(dropSettled.median())
                + " ms, then typed → answer " + Report.format(dropCall.median()) + " ms (medians; a child started with"
                + " the new set). The launcher's own JVM start is not in this row (it was up); the baseline's JVM"
                + " start, Felix and runtime bundles are in the baseline."
                + (notStarted.isEmpty() ? "" : " Bundles the launcher's log said did not start (an error no start"
                + " followed before the call was typed; the baseline goes on past such bundles too): "
                + String.join(", ", notStarted) + "."));
    }

    /** The greeter's and jsonrender's configuration files, as a user writes them for the deploy folder. */
    private List<Path> configurations() throws IOException {
        Path folder = workspace.folder("realset-configs");
        Path greeter = folder.resolve("dev.trampoline.examples.greeter.cfg");
        Files.writeString(greeter, "greeting = Bonjour\n");
        Path renderer = folder.resolve("dev.trampoline.examples.jsonrender.cfg");
        Files.writeString(renderer, "title = " + TITLE + "\ntags = jackson, osgi\n");
        return List.of(greeter, renderer);
    }

    /** The times of one launcher process's first call: from the command, and from the process's spawn. */
    private record Session(double call, double whole) {
    }

    /** One launcher process on {@code run}'s storage and deploy folder, making the call once it has started. */
    private Session firstCall(Path run) throws IOException, InterruptedException {
        try (LauncherProcess launcher = LauncherProcess.spawn(run.resolve("storage"), run.resolve("deploy"))) {
            launcher.awaitStarted();
            long typed = System.nanoTime();
            call(launcher);
            long answered = System.nanoTime();
            launcher.exit();
            return new Session((answered - typed) / 1e6, (answered - launcher.spawnNanos()) / 1e6);
        }
    }

    /** Types the call and waits for its answer; fails (and the launcher is killed) if it failed. */
    private static void call(LauncherProcess launcher) throws IOException {
        launcher.type(COMMAND);
        // The answer, or the shell's line for a failed command (the launcher would wait for the next one).
        String answer = launcher.awaitLine("\"subject\":\"bench\"", "trampoline: tramp:call");
        if (!answer.contains(ANSWER)) {
            throw new IllegalStateException("the launcher did not answer " + ANSWER + "…: " + answer);
        }
    }

    private static List<Path> realSet() throws IOException {
        Path folder = realSetFolder();
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
        }
    }

    /** Where Maven copied the set: {@code target/realset} beside the benchmarks' classes or jar. */
    static Path realSetFolder() {
        try {
            Path code = Path.of(RealSetFigures.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return code.getParent().resolve("realset");
        } catch (URISyntaxException | RuntimeException e) {
            return Path.of("benchmarks", "target", "realset");
        }
    }
}
