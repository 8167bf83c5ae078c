package dev.trampoline.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.Properties;
import java.util.stream.Collectors;

import dev.trampoline.launcher.internal.CommandLine;
import dev.trampoline.launcher.internal.CommandLine.UsageException;
import dev.trampoline.launcher.internal.DeployFolder;
import dev.trampoline.launcher.internal.ExitCommand;
import dev.trampoline.launcher.internal.Folders;
import dev.trampoline.launcher.internal.GogoSession;

/**
 * {@code java -jar trampoline.jar}: starts the runtime and then runs one of four ways: one command
 * ({@code --exec}), headless ({@code --no-shell}), an interactive shell (standard input is a terminal), or
 * one command per line of standard input. Exit codes: 0 success, 1 failure, 2 usage error.
 */
public final class Main {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    /*
     * The process's own streams, taken before the framework starts: Gogo replaces System.out/err with
     * per-thread proxies, and a session writing to a proxy of itself would recurse without end.
     */
    private static final PrintStream STDOUT = System.out;
    private static final PrintStream STDERR = System.err;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        CommandLine cl;
        try {
            cl = CommandLine.parse(args);
        } catch (UsageException e) {
            System.err.println("trampoline: " + e.getMessage());
            System.err.println(CommandLine.USAGE);
            return USAGE;
        }
        if (cl.help()) {
            System.out.println(CommandLine.USAGE);
            return OK;
        }
        if (cl.version()) {
            System.out.println("Trampoline " + version());
            return OK;
        }
        String folderProblem = folderProblem(cl);
        if (folderProblem != null) {
            System.err.println("trampoline: " + folderProblem);
            return USAGE;
        }
        boolean interactive = cl.exec() == null && !cl.noShell() && System.console() != null;
        if (!interactive && System.getProperty("org.jline.terminal.dumb") == null) {
            // No terminal to take over: tell JLine so, rather than let it warn that it could not find one.
            System.setProperty("org.jline.terminal.dumb", "true");
        }
        Trampoline builder = Trampoline.builder().storage(cl.storage()).clean(cl.clean()).logLevel(cl.logLevel())
                .shell(interactive).shellCommandsWithoutTerminal(!interactive);
        cl.deployFolders().forEach(f -> {
            if (f.startLevel() == DeployFolder.DEFAULT) {
                builder.deployFolder(f.folder());
            } else {
                builder.deployFolder(f.folder(), f.startLevel());
            }
        });
        cl.properties().forEach(builder::frameworkProperty);
        System.err.println("Trampoline " + version() + " | deploy: "
                + cl.deployFolders().stream().map(f -> f.folder().toAbsolutePath().normalize()
                        + (f.startLevel() == DeployFolder.DEFAULT ? "" : " (start level " + f.startLevel() + ")"))
                        .collect(Collectors.joining(", "))
                + " | storage: " + cl.storage().toAbsolutePath().normalize());
        // Handlers first: a signal that arrives while the framework starts must still end in a clean stop.
        StopOnSignal stop = new StopOnSignal();
        stop.install("TERM");
        if (!interactive) {
            stop.install("INT"); // interactive: Ctrl-C belongs to the command running in the shell
        }
        TrampolineRuntime runtime;
        try {
            runtime = builder.start();
        } catch (Exception e) {
            System.err.println("trampoline: cannot start: " + e.getMessage());
            return FAILED;
        }
        stop.runtimeStarted(runtime);
        Thread hook = new Thread(runtime::close, "trampoline-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            if (cl.exec() != null) {
                return execOne(runtime, cl.exec());
            }
            if (!interactive && !cl.noShell()) {
                return execLines(runtime, System.in);
            }
            runtime.awaitStop();
            ExitCommand exit = runtime.exitCommand();
            return exit == null ? OK : exit.status().orElse(OK);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return FAILED;
        } finally {
            runtime.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is already running
            }
        }
    }

    /**
     * A folder option that names a file (or a path under one), said in one line before anything starts; a
     * deploy folder is created here so that one that cannot be is said the same way.
     */
    private static String folderProblem(CommandLine cl) {
        for (DeployFolder folder : cl.deployFolders()) {
            try {
                Folders.prepareDeployFolder(folder.folder(), "--deploy");
            } catch (IOException e) {
                return e.getMessage();
            }
        }
        return Folders.notAFolder(cl.storage(), "--storage");
    }

    /** Runs one command line; its result on standard output, its error on standard error. */
    private static int execOne(TrampolineRuntime runtime, String commandLine) {
        try (GogoSession session = GogoSession.open(runtime.bundleContext(), InputStream.nullInputStream(),
                STDOUT, STDERR, 30_000)) {
            String result = session.execute(commandLine);
            if (result != null) {
                STDOUT.println(result);
            }
            STDOUT.flush();
            return exitStatus(runtime, OK);
        } catch (Exception e) {
            STDOUT.flush();
            STDERR.println("trampoline: " + commandLine + ": " + describe(e));
            return FAILED;
        }
    }

    /** {@code exit N}'s status if the command line ran {@code exit}, else {@code otherwise}. */
    private static int exitStatus(TrampolineRuntime runtime, int otherwise) {
        ExitCommand exit = runtime.exitCommand();
        return exit == null ? otherwise : exit.status().orElse(otherwise);
    }

    /**
     * Runs each line of {@code in} as a command line, in one session, until the end of input, {@code exit}
     * or a stop. Exits 1 if a line failed (the first one named last on standard error), else 0; {@code exit N}
     * exits N.
     */
    private static int execLines(TrampolineRuntime runtime, InputStream in) {
        ExitCommand exit = runtime.exitCommand();
        Failures failures = new Failures();
        // A reader blocked on standard input cannot be woken: when the framework stops (stop 0), exit here.
        // After `exit` the reader is not blocked: the loop below ends and returns the status itself.
        Thread exitOnStop = new Thread(() -> {
            try {
                runtime.awaitStop();
                if (exit != null && exit.requested()) {
                    return;
                }
                STDOUT.flush();
                failures.report();
                System.exit(failures.status());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "trampoline-exit-on-stop");
        exitOnStop.setDaemon(true);
        exitOnStop.start();
        try (GogoSession session = GogoSession.open(runtime.bundleContext(), InputStream.nullInputStream(),
                STDOUT, STDERR, 30_000);
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, Charset.defaultCharset()))) {
            String line;
            int number = 0;
            while (runtime.isRunning() && (line = reader.readLine()) != null) {
                number++;
                if (line.isBlank() || line.strip().startsWith("#")) {
                    continue;
                }
                try {
                    String result = session.execute(line);
                    if (result != null) {
                        STDOUT.println(result);
                    }
                } catch (Exception e) {
                    failures.add(number, line);
                    STDERR.println("trampoline: " + line + ": " + describe(e));
                }
                STDOUT.flush();
                if (exit != null && exit.requested()) {
                    break; // nothing after `exit` runs
                }
            }
            failures.report();
            return exit == null ? failures.status() : exit.status().orElse(failures.status());
        } catch (Exception e) {
            STDERR.println("trampoline: " + describe(e));
            return FAILED;
        }
    }

    /** The command lines from standard input that failed: how many, and the first. */
    private static final class Failures {
        private int count;
        private int firstNumber;
        private String firstLine;
        private boolean reported;

        synchronized void add(int number, String line) {
            if (count++ == 0) {
                firstNumber = number;
                firstLine = line;
            }
        }

        synchronized int status() {
            return count == 0 ? OK : FAILED;
        }

        /** Once: the loop's end and a stop of the framework may both get here. */
        synchronized void report() {
            if (count > 0 && !reported) {
                reported = true;
                STDERR.println("trampoline: " + (count == 1 ? "1 command line" : count + " command lines")
                        + " failed, the first on line " + firstNumber + ": " + firstLine);
            }
        }
    }

    /** The message of the real failure: Gogo reaches commands by reflection and wraps what they throw. */
    private static String describe(Throwable e) {
        while (e instanceof java.lang.reflect.InvocationTargetException && e.getCause() != null) {
            e = e.getCause();
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    /**
     * SIGTERM (and SIGINT when there is no interactive shell) stop the framework cleanly and exit 0, rather
     * than the JVM's default exit status for a signal. The exit is explicit because the main thread may be
     * blocked reading standard input.
     */
    @SuppressWarnings("restriction")
    private static final class StopOnSignal {
        private final java.util.concurrent.atomic.AtomicReference<TrampolineRuntime> runtime =
                new java.util.concurrent.atomic.AtomicReference<>();
        private volatile boolean requested;

        void install(String name) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
                    requested = true;
                    TrampolineRuntime r = runtime.get();
                    if (r != null) {
                        stopAndExit(r);
                    }
                });
            } catch (IllegalArgumentException unsupported) {
                // the shutdown hook still stops the framework, with the JVM's exit status for the signal
            }
        }

        void runtimeStarted(TrampolineRuntime r) {
            runtime.set(r);
            if (requested) {
                stopAndExit(r);
            }
        }

        private static void stopAndExit(TrampolineRuntime r) {
            new Thread(() -> {
                r.close();
                System.exit(OK);
            }, "trampoline-stop").start();
        }
    }

    static String version() {
        Properties p = new Properties();
        try (InputStream in = Main.class.getResourceAsStream("/META-INF/trampoline/version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // unknown version
        }
        return p.getProperty("version", "unknown");
    }
}
