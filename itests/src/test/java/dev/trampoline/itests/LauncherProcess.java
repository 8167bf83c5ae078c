package dev.trampoline.itests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code java -jar trampoline.jar ...} as a real process in a working folder, with its output captured. */
final class LauncherProcess implements AutoCloseable {

    private final Process process;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Thread outPump;
    private volatile Thread errPump;

    private LauncherProcess(Process process, boolean readStderr) {
        this.process = process;
        this.outPump = pump(process.getInputStream(), out);
        this.errPump = readStderr ? pump(process.getErrorStream(), err) : null;
    }

    /**
     * {@link #start(Path, List, String...)} with a console nobody reads: its standard error is a pipe left
     * full until {@link #readStderr()}.
     */
    static LauncherProcess startWithStuckConsole(Path workDir, List<String> jvmOptions, String... args)
            throws IOException {
        return new LauncherProcess(new ProcessBuilder(command(jvmOptions, args)).directory(workDir.toFile()).start(),
                false);
    }

    /** Starts reading standard error (of a process started with a stuck console). */
    synchronized void readStderr() {
        if (errPump == null) {
            errPump = pump(process.getErrorStream(), err);
        }
    }

    static LauncherProcess start(Path workDir, String... args) throws IOException {
        return start(workDir, List.of(), args);
    }

    /** {@code java <jvmOptions> -jar trampoline.jar <args>}. */
    static LauncherProcess start(Path workDir, List<String> jvmOptions, String... args) throws IOException {
        return new LauncherProcess(new ProcessBuilder(command(jvmOptions, args)).directory(workDir.toFile()).start(),
                true);
    }

    private static List<String> command(List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(Examples.trampolineJar().toString());
        command.addAll(List.of(args));
        return command;
    }

    /** Runs to completion with {@code stdin} as standard input (closed after it). */
    static LauncherProcess run(Path workDir, String stdin, String... args) throws Exception {
        LauncherProcess p = start(workDir, args);
        try (OutputStream in = p.process.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.awaitExit();
        return p;
    }

    /** Writes to the process's standard input, leaving it open. */
    void type(String text) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write(text.getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /**
     * Types {@code command} every half second until standard output shows {@code text}: for a state that comes
     * some time after an event the test can see (a spare started after a call), which one listing may miss.
     * Gives up after 60 s, as {@link Eventually} does.
     */
    void typeUntil(String command, String text) throws Exception {
        for (int i = 0; i < 120 && !out().contains(text); i++) {
            type(command);
            Thread.sleep(500);
        }
        if (!out().contains(text)) {
            throw new AssertionError("Timed out after 60 s typing " + command.strip() + " until the output shows "
                    + text + "\n" + describe());
        }
    }

    int awaitExit() throws InterruptedException {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the launcher did not exit within 60 s\nstdout:\n" + out() + "\nstderr:\n" + err());
        }
        outPump.join(5_000);
        if (errPump != null) {
            errPump.join(5_000);
        }
        return process.exitValue();
    }

    int exitCode() throws InterruptedException {
        return awaitExit();
    }

    Process process() {
        return process;
    }

    synchronized String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    synchronized String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    String describe() {
        return "stdout:\n" + out() + "\nstderr:\n" + err();
    }

    private Thread pump(InputStream in, ByteArrayOutputStream sink) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    synchronized (this) {
                        sink.write(buffer, 0, n);
                    }
                }
            } catch (IOException e) {
                // process ended
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * Kills the runtime and waits until it and its child JVMs are gone: a child writes into the storage folder
     * until it exits, so a test's temporary folder can only be deleted after that.
     */
    @Override
    public void close() {
        List<ProcessHandle> family = new ArrayList<>(process.descendants().toList());
        process.destroyForcibly();
        family.add(process.toHandle());
        for (ProcessHandle p : family) {
            try {
                p.onExit().get(30, TimeUnit.SECONDS); // a child exits when its channel closes with the parent
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                p.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
