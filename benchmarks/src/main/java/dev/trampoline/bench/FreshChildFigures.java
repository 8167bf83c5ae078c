package dev.trampoline.bench;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.osgi.framework.ServiceReference;

import dev.trampoline.runtime.remote.CallOptions;
import dev.trampoline.runtime.remote.RemoteExecutor;

/**
 * A call on a fresh child (a new JVM used for that call only), against a naive embedded Felix making its first
 * service call, measured by turns so that a noisy spell hits both. The default row is a fresh child as a
 * runtime gives it: made of the spare JVM kept for the next new child. The others start their JVM at the call:
 * a harmless system property keeps the spare from fitting, and the quick and jvm rows pass their JIT preset's
 * flags. Where a JDK 25 is installed, one row has its children on it, from an AOT cache, its JVM started at the
 * call too (the runtime keeps no spare JVM for other JDKs than its children's).
 * <p>
 * Before every measured process the runtime's spare JVM, if any, is left to finish its warm-up: otherwise its
 * start would weigh on whatever is measured next (the baseline included).
 */
final class FreshChildFigures {

    /** A property no child reads: a call with it cannot be made of the spare, whose options lack it. */
    private static final CallOptions COLD = CallOptions.DEFAULT.withFresh(true)
            .withJvmOptions(List.of("-Dtrampoline.bench.cold=true"));
    private static final CallOptions QUICK = CallOptions.DEFAULT.withFresh(true)
            .withJvmOptions(List.of("-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1"));
    /** The JVM's default, said explicitly: a call's own JIT option replaces the preset as a whole. */
    private static final CallOptions JVM = CallOptions.DEFAULT.withFresh(true)
            .withJvmOptions(List.of("-XX:TieredStopAtLevel=4"));

    /** Where the JDK 25 row finds its JDK, unless the system property {@value #JDK_25_PROPERTY} names another. */
    private static final Path JDK_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
    private static final String JDK_25_PROPERTY = "trampoline.bench.jdk25";

    /** Starts the naive baseline's process. */
    interface Baseline {
        Process start() throws IOException;
    }

    private final RemoteExecutor executor;
    private final ServiceReference<?> greeter;
    private final Workspace workspace;
    private final Settings settings;
    private final Report report;
    private final Baseline naiveFelix;

    FreshChildFigures(RemoteExecutor executor, ServiceReference<?> greeter, Workspace workspace, Settings settings,
            Report report, Baseline naiveFelix) {
        this.executor = executor;
        this.greeter = greeter;
        this.workspace = workspace;
        this.settings = settings;
        this.report = report;
        this.naiveFelix = naiveFelix;
    }

    /**
     * Returns the fresh child's median. The first child of the run (no class-data archive and no prepared cache
     * yet) is reported in a note; the figures are every child after it.
     */
    double run() throws Exception {
        double first = timed(CallOptions.DEFAULT.withFresh(true));
        awaitArchive("jsa|aot");
        Path jdk25 = jdk25();
        CallOptions onJdk25 = jdk25 == null ? null : COLD.withJavaHome(jdk25.toString());
        boolean aotCacheMade = false;
        if (onJdk25 != null) {
            timed(onJdk25); // its training child makes the AOT cache
            aotCacheMade = awaitArchive("aot");
        }
        Samples aot = new Samples();
        Samples fresh = new Samples();
        Samples cold = new Samples();
        Samples quick = new Samples();
        Samples jvm = new Samples();
        Samples naive = new Samples();
        Samples spareRss = new Samples();
        for (int i = 0; i < settings.freshRuns(); i++) {
            awaitSpareSettled();
            spare().map(p -> Processes.residentMiB(p.pid())).filter(rss -> !rss.isNaN()).ifPresent(spareRss::add);
            fresh.add(timed(CallOptions.DEFAULT.withFresh(true)));
            awaitSpareSettled();
            cold.add(timed(COLD));
            quick.add(timed(QUICK));
            jvm.add(timed(JVM));
            if (onJdk25 != null) {
                aot.add(timed(onJdk25));
            }
            long t0 = System.nanoTime();
            Process p = naiveFelix.start();
            if (Processes.awaitLine(p, "RESULT") == null) {
                throw new IllegalStateException("the naive Felix baseline did not answer");
            }
            naive.add((System.nanoTime() - t0) / 1e6);
            p.waitFor();
        }
        Samples backToBack = new Samples();
        awaitSpareSettled();
        for (int i = 0; i < settings.freshRuns(); i++) {
            backToBack.add(timed(CallOptions.DEFAULT.withFresh(true)));
        }
        String baseline = "naive embedded Felix, spawn → first call";
        String target = "≤ 200 ms; ≤ 0.5× baseline";
        report.add(new Figure("fresh child, submit → result", "ms", fresh, 90, baseline, naive.median(), false,
                target));
        report.add(new Figure("fresh child, JVM started at the call (no spare)", "ms", cold, 90, baseline,
                naive.median(), false, "-"));
        report.add(new Figure("fresh child, " + settings.freshRuns() + " calls back to back", "ms", backToBack, 90,
                baseline, naive.median(), false, "-"));
        report.add(new Figure("fresh child, no spare, trampoline.child.jit=quick", "ms", quick, 90, baseline,
                naive.median(), false, "-"));
        report.add(new Figure("fresh child, no spare, trampoline.child.jit=jvm", "ms", jvm, 90, baseline,
                naive.median(), false, "-"));
        if (onJdk25 != null) {
            report.add(new Figure("fresh child, JVM started at the call, children on JDK 25 with an AOT cache", "ms",
                    aot, 90, baseline + " (on the runtime's JDK " + Runtime.version().feature() + ")", naive.median(),
                    false, "≤ 0.25× baseline"));
            report.note("The JDK 25 row: CallOptions.javaHome " + jdk25 + ", a dummy system property; "
                    + (aotCacheMade ? "its AOT cache was made before the row was measured."
                    : "its AOT cache was not made within " + settings.archiveWaitSeconds() + " s: the row may be"
                    + " without it."));
        } else {
            report.note("No row for children on JDK 25: no JDK in " + JDK_25 + " (the system property "
                    + JDK_25_PROPERTY + " names another).");
        }
        report.note("The first child of the run, before the class-data archive and the prepared framework cache"
                + " existed, took " + Report.format(first) + " ms from submit to result. A fresh child is made of the"
                + " spare JVM the runtime keeps for the next new child: before each measured process the spare was"
                + " left to finish its warm-up (the waiting spare's resident memory: " + (spareRss.n() == 0 ? "-"
                : Report.format(spareRss.median())) + " MiB, median of " + spareRss.n() + "). The rows without a spare pass JVM options of their own (a dummy system property; the quick"
                + " and jvm presets' flags: -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1, and"
                + " -XX:TieredStopAtLevel=4), so their JVM starts at the call. Back to back, each call is submitted"
                + " as the previous one answers: the spare for it may not be started, or not warm, yet.");
        return fresh.median();
    }

    private double timed(CallOptions options) throws Exception {
        long t0 = System.nanoTime();
        try {
            executor.invoke(greeter, "greet", new Object[] {"bench"}, options).getValue();
        } catch (InvocationTargetException e) {
            throw (Exception) e.getCause();
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    private boolean awaitArchive(String extensions) throws IOException, InterruptedException {
        return ChildArchive.await(workspace.folder("storage"), extensions, settings.archiveWaitSeconds());
    }

    /** The spare JVM of this JVM's runtime, left to finish its warm-up. */
    private static void awaitSpareSettled() throws InterruptedException {
        SpareJvm.awaitSettled(ProcessHandle.current());
    }

    private static Optional<ProcessHandle> spare() {
        return SpareJvm.of(ProcessHandle.current());
    }

    /** The folder of a JDK 25 to run children on, or null if there is none. */
    private static Path jdk25() {
        Path home = Path.of(System.getProperty(JDK_25_PROPERTY, JDK_25.toString()));
        return java.nio.file.Files.isExecutable(home.resolve("bin/java")) ? home : null;
    }
}
