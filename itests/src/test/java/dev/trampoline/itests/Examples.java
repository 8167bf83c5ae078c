package dev.trampoline.itests;

import java.nio.file.Files;
import java.nio.file.Path;

/** The example bundles and the executable jar, as the build made them. */
final class Examples {

    private Examples() {
    }

    static Path greeterJar() {
        return built("greeter.jar");
    }

    static Path primesJar() {
        return built("primes.jar");
    }

    static Path jobsJar() {
        return built("jobs.jar");
    }

    static Path trampolineJar() {
        return built("trampoline.jar");
    }

    private static Path built(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("System property " + property + " is not set: run the tests with Maven");
        }
        Path p = Path.of(value).toAbsolutePath().normalize();
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException(p + " does not exist: build the reactor first (./mvnw verify)");
        }
        return p;
    }
}
