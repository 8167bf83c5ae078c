package dev.trampoline.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** A temporary folder with the benchmark bundles unpacked, removed at the end. */
final class Workspace implements AutoCloseable {

    final Path root;

    Workspace() throws IOException {
        root = Files.createTempDirectory("trampoline-bench-");
    }

    /** A bundle carried in the benchmarks jar ({@code greeter}, {@code primes}, {@code jobs}, {@code jsonrender}, {@code fileinstall}). */
    Path bundle(String name) throws IOException {
        Path file = root.resolve("bundles").resolve(name + ".jar");
        if (!Files.exists(file)) {
            Files.createDirectories(file.getParent());
            try (InputStream in = Workspace.class.getResourceAsStream("/bench/bundles/" + name + ".jar")) {
                if (in == null) {
                    throw new IOException("bench/bundles/" + name + ".jar is not in the benchmarks jar: rebuild it");
                }
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return file;
    }

    Path folder(String name) throws IOException {
        return Files.createDirectories(root.resolve(name));
    }

    static Path java() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    @Override
    public void close() {
        NaiveFelix.deleteTree(root);
    }
}
