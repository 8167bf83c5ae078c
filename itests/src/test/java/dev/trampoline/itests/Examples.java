package dev.trampoline.itests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The example bundles and the executable jar, as the build made them, and the bundles it copied from Maven. */
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

    /** Felix HTTP (Jetty), the Web Console and what they need. */
    static List<Path> thirdPartyBundles() throws IOException {
        return jarsIn("third.party.bundles");
    }

    /** Libraries with well-known deserialization gadgets. */
    static List<Path> gadgetLibraries() throws IOException {
        return jarsIn("gadget.libraries");
    }

    /** Aries SPI Fly with the ASM it imports, SLF4J 2 and slf4j-simple. */
    static List<Path> spiFlyBundles() throws IOException {
        return jarsIn("spi.fly.bundles");
    }

    /** Jackson's core, annotations and databind. */
    static List<Path> jacksonBundles() throws IOException {
        return jarsIn("jackson.bundles");
    }

    /** The jars in the folder the system property names (one the build's dependency plugin filled), by name. */
    private static List<Path> jarsIn(String property) throws IOException {
        try (Stream<Path> jars = Files.list(Path.of(property(property)))) {
            return jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
    }

    private static String property(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("System property " + property + " is not set: run the tests with Maven");
        }
        return value;
    }

    private static Path built(String property) {
        Path p = Path.of(property(property)).toAbsolutePath().normalize();
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException(p + " does not exist: build the reactor first (./mvnw verify)");
        }
        return p;
    }
}
