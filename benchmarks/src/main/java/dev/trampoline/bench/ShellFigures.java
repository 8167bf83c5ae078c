package dev.trampoline.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Fresh children as a shell user gets them: the launcher, its commands piped in, the examples deployed, and
 * {@code tramp:call --fresh} typed once the spare JVM has settled, then several times back to back (each typed
 * as the previous one answered), against the naive embedded Felix of {@link FreshChildFigures} (the same
 * examples, spawn → first call), measured in the same run while the launcher waits idle.
 */
final class ShellFigures {

    private static final String COMMAND = "tramp:call --fresh dev.trampoline.examples.greeter.Greeter greet bench";
    private static final String ANSWER = "Hello, bench!";

    private final Workspace workspace;
    private final Settings settings;
    private final Report report;

    ShellFigures(Workspace workspace, Settings settings, Report report) {
        this.workspace = workspace;
        this.settings = settings;
        this.report = report;
    }

    void run() throws Exception {
        List<Path> examples = new ArrayList<>();
        for (String name : List.of("greeter", "primes", "jobs")) {
            examples.add(workspace.bundle(name));
        }
        Path run = workspace.folder("shell");
        Path deploy = Files.createDirectories(run.resolve("deploy"));
        for (Path jar : examples) {
            Files.copy(jar, deploy.resolve(jar.getFileName()));
        }
        Samples single = new Samples();
        Samples backToBack = new Samples();
        Samples naive = new Samples();
        double first;
        boolean archived;
        try (LauncherProcess launcher = LauncherProcess.spawn(run.resolve("storage"), deploy)) {
            launcher.awaitStarted();
            first = timedCall(launcher);
            archived = ChildArchive.await(run.resolve("storage"), "jsa|aot", settings.archiveWaitSeconds());
            for (int r = 0; r < settings.repeats(); r++) {
                SpareJvm.awaitSettled(launcher.handle());
                single.add(timedCall(launcher));
                SpareJvm.awaitSettled(launcher.handle());
                for (int i = 0; i < settings.freshRuns(); i++) {
                    backToBack.add(timedCall(launcher));
                }
                for (int i = 0; i < settings.freshRuns(); i++) {
                    SpareJvm.awaitSettled(launcher.handle()); // the baseline must not share the CPU with it
                    naive.add(NaiveFelix.timedFirstCall(workspace, examples));
                }
            }
            launcher.exit();
        }
        String baseline = "naive embedded Felix, spawn → first call";
        report.add(new Figure("fresh child through the shell (tramp:call --fresh), spare settled", "ms", single, 90,
                baseline, naive.median(), false, "-"));
        report.add(new Figure("fresh child through the shell, " + settings.freshRuns() + " calls back to back", "ms",
                backToBack, 90, baseline, naive.median(), false, "≤ 0.4× baseline"));
        report.note("Shell rows: the launcher reads `" + COMMAND + "` from standard input (the greeter, primes and"
                + " jobs deployed, as in the baseline); each call is timed from the line written to the answer"
                + " line read, so the shell's parsing and printing are in it. The first call of the launcher took "
                + Report.format(first) + " ms (" + (archived ? "its training child's class data was then awaited"
                : "class data was not awaited, or did not come within " + settings.archiveWaitSeconds() + " s")
                + "). The single call is typed once the spare JVM has settled; back to back, each call is typed as"
                + " the previous one answered, in series of " + settings.freshRuns() + " (median per call over "
                + backToBack.n() + " calls).");
    }

    /** Types one fresh call and returns the milliseconds to its answer; fails if the call failed. */
    private static double timedCall(LauncherProcess launcher) throws IOException {
        long t0 = System.nanoTime();
        launcher.type(COMMAND);
        String answer = launcher.awaitLine(ANSWER, "trampoline: tramp:call");
        double millis = (System.nanoTime() - t0) / 1e6;
        if (!answer.contains(ANSWER)) {
            throw new IllegalStateException("the launcher did not answer " + ANSWER + ": " + answer);
        }
        return millis;
    }
}
