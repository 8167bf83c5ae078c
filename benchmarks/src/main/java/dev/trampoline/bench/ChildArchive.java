package dev.trampoline.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The class data a runtime's training child writes for later children: a class-data archive or an AOT cache. */
final class ChildArchive {

    private ChildArchive() {
    }

    /**
     * Waits until a training child has written, under {@code storage}, a class-data archive or AOT cache whose
     * extension {@code extensions} matches (a regular expression, {@code jsa|aot}), as a long-running runtime
     * has; false if none came within {@code seconds}.
     */
    static boolean await(Path storage, String extensions, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(storage)) {
                try (var files = Files.walk(storage)) {
                    if (files.anyMatch(f -> f.getFileName().toString().matches("child-\\w+\\.(" + extensions + ")"))) {
                        return true;
                    }
                } catch (IOException | UncheckedIOException e) {
                    // files come and go while the children start
                }
            }
            Thread.sleep(100);
        }
        return false;
    }
}
