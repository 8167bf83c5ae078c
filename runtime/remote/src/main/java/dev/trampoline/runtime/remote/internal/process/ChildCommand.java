package dev.trampoline.runtime.remote.internal.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import dev.trampoline.runtime.contract.internal.ChildArguments;
import dev.trampoline.runtime.contract.internal.StoreLayout;

/**
 * The argument array a child is started with: the parent's {@code java}, JVM options, the launcher's class
 * path and its child main class, then the snapshot, a private storage folder and the parent's pid. Never a
 * shell string. {@code runtimeOnly}: the child starts the runtime's own bundles only (the class-data training
 * child, which serves no plugin's call: no plugin's activator or component runs there).
 */
public record ChildCommand(Path java, String classPath, String mainClass, List<String> jvmOptions,
        Map<String, String> environment, Path snapshotFile, Path storage, boolean runtimeOnly) {

    /** A command for a child with these options, reading {@code snapshotFile} and keeping its files in {@code storage}. */
    public ChildCommand(Path java, String classPath, String mainClass, List<String> jvmOptions,
            Map<String, String> environment, Path snapshotFile, Path storage) {
        this(java, classPath, mainClass, jvmOptions, environment, snapshotFile, storage, false);
    }

    /** Deletes a child's private folder: the child does at exit, this is for children that were killed. */
    public static void deleteStorage(Path storage) {
        try (var walk = Files.walk(storage)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // a child's leftover cache only costs disk; the OS cleans temp folders
        }
    }

    /**
     * Starts the child from the argument array, in a session of its own (see {@link OwnSession}), with its
     * environment added and all three streams piped.
     */
    Process launch() throws IOException {
        ProcessBuilder pb = new ProcessBuilder(OwnSession.command(arguments()));
        pb.environment().putAll(environment);
        return pb.redirectInput(ProcessBuilder.Redirect.PIPE).redirectOutput(ProcessBuilder.Redirect.PIPE)
                .redirectError(ProcessBuilder.Redirect.PIPE).start();
    }

    /**
     * The child made of {@code spare} (a JVM started ahead, in this command's folder; may be null) if it can be,
     * else started as above, in that folder emptied of what a spare that died there left.
     */
    Process launch(SpareJvm spare) throws IOException {
        if (spare != null) {
            Process taken = spare.take(this);
            if (taken != null) {
                return taken;
            }
            emptyBut(storage, StoreLayout.CHILD_CONFIGURATIONS); // the folder stays private; the configurations stay
        }
        return launch();
    }

    /** Deletes what a spare that died left in {@code storage}, but the folder itself and {@code kept}. */
    private static void emptyBut(Path storage, String kept) throws IOException {
        try (var entries = Files.list(storage)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                if (!p.getFileName().toString().equals(kept)) {
                    deleteStorage(p);
                }
            }
        }
    }

    List<String> arguments() {
        List<String> args = new ArrayList<>();
        args.add(java.toString());
        args.addAll(jvmOptions);
        args.add("-cp");
        args.add(classPath);
        args.add(mainClass);
        args.addAll(mainArguments());
        return args;
    }

    /** The arguments of the child main: what a spare JVM is handed when it becomes this child. */
    List<String> mainArguments() {
        // The parent's pid: the child watches this process, even if it is gone before the child looks.
        return new ChildArguments(snapshotFile, storage, Long.toString(ProcessHandle.current().pid()), runtimeOnly)
                .toList();
    }
}
