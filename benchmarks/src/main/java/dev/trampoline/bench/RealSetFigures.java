package dev.trampoline.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The bundles users deploy (Jackson, Guava, SPI Fly with ASM, Felix HTTP Jetty and the Web Console, EventAdmin,
 * Metatype, SLF4J, Commons, Snappy, JNA: the benchmark module's {@code realset} dependencies) plus the greeter
 * and a configuration for it: Trampoline's launcher, as a user runs it, making its first call in a child,
 * against plain Felix installing and starting the same bundles (and the runtime's own) and making the same call
 * in its own JVM. The launcher runs twice per turn: on an empty storage (everything installed, captured and
 * prepared for the first time), then restarted on that storage.
 */
final class RealSetFigures {

    private static final String GREETING = "Bonjour";
    private static final String COMMAND = "tramp:call dev.trampoline.examples.greeter.Greeter greet bench";

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
        List<Path> withGreeter = new ArrayList<>(jars);
        withGreeter.add(workspace.bundle("greeter"));
        Samples naive = new Samples();
        Samples emptyCall = new Samples();
        Samples emptyWhole = new Samples();
        Samples restartedCall = new Samples();
        Samples restartedWhole = new Samples();
        for (int i = 0; i < settings.repeats(); i++) {
            naive.add(NaiveFelix.timedFirstCall(workspace, withGreeter));
            Path run = workspace.folder("realset-" + i);
            Path deploy = Files.createDirectories(run.resolve("deploy"));
            for (Path jar : withGreeter) {
                Files.copy(jar, deploy.resolve(jar.getFileName()));
            }
            Files.writeString(deploy.resolve("dev.trampoline.examples.greeter.cfg"), "greeting = " + GREETING + "\n");
            Session empty = firstCall(run);
            emptyCall.add(empty.call());
            emptyWhole.add(empty.whole());
            Session restarted = firstCall(run);
            restartedCall.add(restarted.call());
            restartedWhole.add(restarted.whole());
        }
        String baseline = "plain Felix installing and starting the same " + withGreeter.size()
                + " bundles and the runtime's, then the same call (whole process)";
        String set = "real bundle set (" + withGreeter.size() + " bundles)";
        report.add(new Figure(set + ", runtime started on an empty storage: first call (typed once it is up)", "ms",
                emptyCall, 90, baseline, naive.median(), false, "≤ 1.0× baseline"));
        report.add(new Figure(set + ", the same: whole process (start, first call, exit)", "ms", emptyWhole, 90,
                baseline, naive.median(), false, "-"));
        report.add(new Figure(set + ", runtime restarted on that storage: first call", "ms", restartedCall, 90,
                baseline, naive.median(), false, "≤ 0.3× baseline"));
        report.add(new Figure(set + ", restarted: whole process", "ms", restartedWhole, 90, baseline,
                naive.median(), false, "-"));
        report.note("Real bundle set: the launcher reads its command from standard input; the first call is timed"
                + " from the command written, once the launcher said it started (the deploy folder installed and"
                + " started), to the answer; the whole process from its spawn to the answer.");
    }

    /** The times of one launcher process's first call: from the command, and from the process's spawn. */
    private record Session(double call, double whole) {
    }

    /** One launcher process on {@code run}'s storage and deploy folder, making the call once it has started. */
    private Session firstCall(Path run) throws IOException, InterruptedException {
        List<String> cmd = List.of(Workspace.java().toString(), "-cp", System.getProperty("java.class.path"),
                "dev.trampoline.launcher.Main", "--storage", run.resolve("storage").toString(),
                "--deploy", run.resolve("deploy").toString());
        long spawn = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long typed;
        long answered;
        try (Writer in = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8)) {
            if (lineContaining(out, "[launcher] Started in") == null) {
                throw new IllegalStateException("the launcher did not start: " + cmd);
            }
            typed = System.nanoTime();
            in.write(COMMAND + "\n");
            in.flush();
            // The answer, or the shell's line for a failed command (the launcher would wait for the next one).
            String answer = lineContaining(out, GREETING + ", bench!", "trampoline: tramp:call");
            answered = System.nanoTime();
            if (answer == null || !answer.contains(GREETING)) {
                throw new IllegalStateException("the launcher did not answer " + GREETING + ", bench!: " + answer);
            }
            in.write("exit\n");
        } catch (IOException | RuntimeException e) {
            p.destroyForcibly();
            throw e;
        }
        out.transferTo(Writer.nullWriter());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("the launcher exited with " + p.exitValue() + ": " + cmd);
        }
        return new Session((answered - typed) / 1e6, (answered - spawn) / 1e6);
    }

    /** The first line that contains one of {@code texts}; null at the end of the output. */
    private static String lineContaining(BufferedReader out, String... texts) throws IOException {
        String line;
        while ((line = out.readLine()) != null) {
            for (String text : texts) {
                if (line.contains(text)) {
                    return line;
                }
            }
        }
        return null;
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
