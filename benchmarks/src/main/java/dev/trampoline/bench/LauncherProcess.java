package dev.trampoline.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Trampoline's launcher as a user runs it with its commands piped in: one command line per line of standard
 * input, the answers and the log (standard error) read line by line from one stream. A launcher still running
 * {@value #LIMIT_MINUTES} minutes after its start is killed, so a missed line fails the run instead of
 * leaving the harness waiting.
 */
final class LauncherProcess implements AutoCloseable {

    private static final int LIMIT_MINUTES = 5;

    private final List<String> command;
    private final Process process;
    private final BufferedReader out;
    private final Writer in;
    private final long spawnNanos;

    private LauncherProcess(List<String> command) throws IOException {
        this.command = command;
        this.spawnNanos = System.nanoTime();
        this.process = new ProcessBuilder(command).redirectErrorStream(true).start();
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread watchdog = new Thread(() -> {
            try {
                if (!process.waitFor(LIMIT_MINUTES, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
            }
        }, "launcher-watchdog-" + process.pid());
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /** Spawns the launcher on {@code storage} watching {@code deploy}; it has not started yet. */
    static LauncherProcess spawn(Path storage, Path deploy) throws IOException {
        return new LauncherProcess(List.of(Workspace.java().toString(), "-cp", System.getProperty("java.class.path"),
                "dev.trampoline.launcher.Main", "--storage", storage.toString(), "--deploy", deploy.toString()));
    }

    /** When the process was spawned ({@link System#nanoTime()}). */
    long spawnNanos() {
        return spawnNanos;
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    /** Waits for the launcher's line saying it started: its deploy folder's first scan was applied. */
    void awaitStarted() throws IOException {
        awaitLine("[launcher] Started in");
    }

    /** The next line that contains one of {@code texts}; fails if the output ends first. */
    String awaitLine(String... texts) throws IOException {
        String line = nextLine();
        while (!containsAny(line, texts)) {
            line = nextLine();
        }
        return line;
    }

    /** The next line of the launcher's output; fails if the output ends (the launcher exited or was killed). */
    String nextLine() throws IOException {
        String line = out.readLine();
        if (line == null) {
            throw new IllegalStateException("the launcher's output ended (exit " + exitValueOrRunning() + "): "
                    + command);
        }
        return line;
    }

    private static boolean containsAny(String line, String... texts) {
        for (String text : texts) {
            if (line.contains(text)) {
                return true;
            }
        }
        return false;
    }

    /** Types one command line. */
    void type(String commandLine) throws IOException {
        in.write(commandLine + "\n");
        in.flush();
    }

    /**
     * Types {@code exit}, reads the rest of the output and waits for the process; fails unless it exited with
     * 0 (every line typed succeeded).
     */
    void exit() throws IOException, InterruptedException {
        type("exit");
        in.close();
        out.transferTo(Writer.nullWriter());
        if (process.waitFor() != 0) {
            throw new IllegalStateException("the launcher exited with " + process.exitValue() + ": " + command);
        }
    }

    private String exitValueOrRunning() {
        return process.isAlive() ? "none yet" : Integer.toString(process.exitValue());
    }

    /** Kills the launcher (and so its children) unless it has exited. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
