package dev.trampoline.itests;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A program run to its end from an argument array, with what it wrote: for the tools a fixture needs. */
record CommandRun(List<String> command, int exitCode, String out, String err) {

    /** A bound against a hang, not a speed requirement (as {@link Eventually#DEFAULT}). */
    private static final long LIMIT_SECONDS = Eventually.DEFAULT.toSeconds();

    /** Runs {@code command} with an empty standard input; fails if it has not ended within the bound. */
    static CommandRun of(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectInput(new File("/dev/null")).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread outPump = pump(process.getInputStream(), out, "stdout of " + command.get(0));
        Thread errPump = pump(process.getErrorStream(), err, "stderr of " + command.get(0));
        if (!process.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not end within " + LIMIT_SECONDS + " s");
        }
        // A process it left behind may hold the pipes: what it wrote itself is there once it exited.
        outPump.join(TimeUnit.SECONDS.toMillis(5));
        errPump.join(TimeUnit.SECONDS.toMillis(5));
        // ByteArrayOutputStream's methods are synchronized: a pump still running cannot tear what is read.
        return new CommandRun(command, process.exitValue(), out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8));
    }

    /** {@link #of}, failing with what it wrote unless it exits 0. */
    static CommandRun succeeding(List<String> command) throws IOException, InterruptedException {
        CommandRun run = of(command);
        if (run.exitCode != 0) {
            throw new IOException(run.describe());
        }
        return run;
    }

    String describe() {
        return String.join(" ", command) + " exited " + exitCode + "\nstdout:\n" + out + "\nstderr:\n" + err;
    }

    private static Thread pump(InputStream in, ByteArrayOutputStream sink, String name) {
        Thread pump = new Thread(() -> {
            try (in) {
                in.transferTo(sink);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, name);
        pump.setDaemon(true);
        pump.start();
        return pump;
    }
}
