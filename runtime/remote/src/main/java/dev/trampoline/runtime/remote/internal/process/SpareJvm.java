package dev.trampoline.runtime.remote.internal.process;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.trampoline.runtime.contract.internal.ChildArguments;

/**
 * A child JVM started ahead of need, with no bundle set yet (the launcher's spare mode): it starts and warms the
 * framework's code up while no call waits, then blocks on its channel. The next new child started with exactly
 * its JVM options and no environment of its own is made of it: the spare is handed that child's arguments and
 * boots its snapshot as any child does, minus the JVM start and with warm code (about a third less time from
 * submit to ready). Like Python's forkserver, it is started at first need and kept for the next.
 * <p>
 * It prepares ahead the framework of the snapshot it is started for, in the folder it is given (the next child's,
 * if that child has that snapshot) and runs no bundle code; if its parent goes, its channel ends and it exits.
 */
public final class SpareJvm {

    /** Whether a spare JVM is kept for new children (default true); false starts every child from scratch. */
    public static final String PROPERTY = "trampoline.child.spare";

    private final Process process;
    private final List<String> jvmOptions;
    private final Path storage;
    private final Path warmSnapshot;
    private final long startedNanos = System.nanoTime();

    private SpareJvm(Process process, List<String> jvmOptions, Path storage, Path warmSnapshot) {
        this.process = process;
        this.jvmOptions = jvmOptions;
        this.storage = storage;
        this.warmSnapshot = warmSnapshot;
    }

    /**
     * Starts a spare with {@code jvmOptions}, warming up on {@code warmSnapshot} (a snapshot file, or null).
     * Its output is not read until a child is made of it: a spare writes nothing unless it fails, and then it
     * exits, and is not used.
     */
    public static SpareJvm start(ChildLaunch launch, List<String> jvmOptions, Path warmSnapshot, Path storage)
            throws IOException {
        List<String> args = new ArrayList<>();
        args.add(launch.java().toString());
        args.addAll(jvmOptions);
        args.add("-cp");
        args.add(launch.classPath());
        args.add(launch.mainClass());
        args.addAll(new ChildArguments.Spare(storage, warmSnapshot).toList());
        return new SpareJvm(launch.starter().startSpare(args), List.copyOf(jvmOptions), storage, warmSnapshot);
    }

    /** How long ago the spare was started. */
    public long waitedMillis() {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    /** The snapshot file the spare prepares and warms up on (null: none). */
    public Path warmSnapshot() {
        return warmSnapshot;
    }

    /** The folder the spare prepares its child in: the storage of the child made of it. */
    public Path storage() {
        return storage;
    }

    /** The spare JVM's pid. */
    public long pid() {
        return process.pid();
    }

    /** Whether the spare JVM still runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Whether a child with {@code jvmOptions} and {@code environment} of its own can be made of this spare. */
    public boolean fits(List<String> jvmOptions, Map<String, String> environment) {
        return jvmOptions.equals(this.jvmOptions) && environment.isEmpty();
    }

    /**
     * Makes {@code command}'s child of this spare (which must fit it): hands it the child's arguments, one per
     * line, then an empty line. Returns its process, or null if it cannot be that child (it is gone, or an
     * argument contains a line break); it is then killed, and gone when this returns.
     */
    Process take(ChildCommand command) {
        List<String> args = command.mainArguments();
        if (args.stream().anyMatch(a -> a.indexOf('\n') >= 0)) {
            killAndWait();
            return null;
        }
        StringBuilder lines = new StringBuilder();
        args.forEach(a -> lines.append(a).append('\n'));
        lines.append('\n');
        try {
            OutputStream channel = process.getOutputStream();
            channel.write(lines.toString().getBytes(StandardCharsets.UTF_8));
            channel.flush();
            return process;
        } catch (IOException gone) {
            killAndWait();
            return null;
        }
    }

    /** Kills the spare and waits until it is gone: the child started instead then has its folder to itself. */
    private void killAndWait() {
        process.destroyForcibly();
        awaitExit(5_000);
    }

    /**
     * Asks the spare to leave: its channel ends, it discards what it prepared, deletes its folders and exits. The
     * folder goes after it in any case (it may have been killed).
     */
    public void stop() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            process.destroyForcibly();
        }
        process.onExit().thenRun(() -> ChildCommand.deleteStorage(storage));
    }

    /** Waits up to {@code millis} for the spare to exit after {@link #stop()}, then kills it. */
    public void awaitExit(long millis) {
        try {
            if (!process.waitFor(millis, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
