package dev.trampoline.runtime.remote.internal.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JDK children run on: its folder, its {@code bin/java} and its version, read from the JDK's {@code release}
 * file, or from {@code java -version} where it has none (asked once per folder). The version decides which
 * options its children get: from JDK 25 an AOT cache instead of a class-data archive ({@link ChildJvmOptions}).
 *
 * @param home the JDK's folder, absolute and normalized
 * @param version its full version ({@code 25.0.3+9-LTS}, {@code 17.0.9}, {@code 1.8.0_392})
 */
public record JavaHome(Path home, String version) {

    /** The oldest JDK a child runs on: the launcher's and the runtime's class files are Java 17's. */
    public static final int MINIMUM_FEATURE = 17;
    /** The first JDK whose children use an AOT cache (JEP 483, 514, 515) instead of a class-data archive. */
    public static final int AOT_CACHE_FEATURE = 25;

    private static final Pattern RELEASE_VERSION = Pattern.compile("(?m)^JAVA_(?:RUNTIME_)?VERSION=\"([^\"]+)\"");
    private static final Pattern RUNTIME_VERSION = Pattern.compile("(?m)^JAVA_RUNTIME_VERSION=\"([^\"]+)\"");
    private static final Pattern JAVA_DASH_VERSION = Pattern.compile("version \"([^\"]+)\"");
    private static final Pattern NUMBERS = Pattern.compile("\\d+(\\.\\d+)*");
    private static final Map<Path, JavaHome> KNOWN = new ConcurrentHashMap<>();

    /** The JDK this runtime runs on. */
    public static JavaHome current() {
        return new JavaHome(real(Path.of(System.getProperty("java.home")).toAbsolutePath().normalize()),
                System.getProperty("java.runtime.version"));
    }

    /**
     * The JDK in {@code home} (its version read once per folder).
     *
     * @throws IllegalArgumentException naming the folder and what to do, if it is no JDK children can run on:
     *         missing, without {@code bin/java}, or older than {@value #MINIMUM_FEATURE}
     */
    public static JavaHome of(String home) {
        Path path;
        try {
            path = Path.of(home).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("The Java home '" + home + "' is not a path: " + e.getMessage());
        }
        path = real(path); // a link to a JDK is that JDK: one pool, one archive
        JavaHome known = KNOWN.get(path);
        if (known != null) {
            return known;
        }
        JavaHome read = read(path);
        KNOWN.put(path, read);
        return read;
    }

    /** The folder {@code path} names with its links resolved, or {@code path} itself if it does not exist. */
    private static Path real(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException | RuntimeException missing) {
            return path; // read() says what is wrong with it
        }
    }

    private static JavaHome read(Path home) {
        if (Files.isRegularFile(home)) {
            throw new IllegalArgumentException("The Java home " + home + " is a file: give the folder of a JDK "
                    + MINIMUM_FEATURE + " or later (the one that has bin/java), not a java binary");
        }
        if (!Files.isDirectory(home)) {
            throw new IllegalArgumentException("The Java home " + home + " does not exist: give the folder of a JDK "
                    + MINIMUM_FEATURE + " or later (the one that has bin/java)");
        }
        Path java = home.resolve("bin").resolve("java");
        if (!Files.isRegularFile(java) || !Files.isExecutable(java)) {
            throw new IllegalArgumentException("The Java home " + home + " has no executable bin/java: give the folder"
                    + " of a JDK " + MINIMUM_FEATURE + " or later, not its bin folder or a java binary");
        }
        String version = releaseVersion(home).or(() -> javaDashVersion(java)).orElseThrow(() ->
                new IllegalArgumentException("Cannot tell the version of the JDK in " + home + ": it has no release"
                        + " file and '" + java + " -version' did not say; give the folder of a JDK " + MINIMUM_FEATURE
                        + " or later"));
        JavaHome jdk = new JavaHome(home, version);
        if (jdk.feature() < MINIMUM_FEATURE) {
            throw new IllegalArgumentException("The Java home " + home + " is JDK " + version + ": children need JDK "
                    + MINIMUM_FEATURE + " or later; give the folder of a newer JDK");
        }
        return jdk;
    }

    /** The version in a JDK's {@code release} file: the runtime version if it has one (it names the build). */
    static Optional<String> releaseVersion(Path home) {
        String release;
        try {
            release = Files.readString(home.resolve("release"), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        return versionIn(release);
    }

    /** The version a {@code release} file's text gives ({@code JAVA_RUNTIME_VERSION}, else {@code JAVA_VERSION}). */
    static Optional<String> versionIn(String release) {
        Matcher runtime = RUNTIME_VERSION.matcher(release);
        if (runtime.find()) {
            return Optional.of(runtime.group(1));
        }
        Matcher any = RELEASE_VERSION.matcher(release);
        return any.find() ? Optional.of(any.group(1)) : Optional.empty();
    }

    /** What {@code java -version} says its version is (on stderr: {@code openjdk version "17.0.9" 2023-10-17}). */
    private static Optional<String> javaDashVersion(Path java) {
        Path out = null;
        try {
            // Into a file, not a pipe: a java that hangs must not hold the caller's thread past the time limit.
            out = Files.createTempFile("trampoline-java-version", ".txt");
            Process p = new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            p.getOutputStream().close();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            return versionOutput(Files.readString(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException e) {
                    // a temporary file
                }
            }
        }
    }

    /** The version in {@code java -version}'s output, if it names one. */
    static Optional<String> versionOutput(String output) {
        Matcher m = JAVA_DASH_VERSION.matcher(output);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The {@code java} binary children run. */
    public Path java() {
        return home.resolve("bin").resolve("java");
    }

    /** The feature release: 17 for {@code 17.0.9}, 25 for {@code 25+36}, 8 for {@code 1.8.0_392}. */
    public int feature() {
        return number(0);
    }

    /** The update release: 9 for {@code 17.0.9}, 0 where the version has none. */
    public int update() {
        return number(2);
    }

    private int number(int index) {
        Matcher m = NUMBERS.matcher(version);
        if (!m.lookingAt()) {
            return 0;
        }
        String[] parts = m.group().split("\\.");
        int shift = parts[0].equals("1") && parts.length > 1 ? 1 : 0; // 1.8.0: the JDK 8 way of numbering
        int i = index + shift;
        return i < parts.length ? Integer.parseInt(parts[i]) : 0;
    }

    /** Whether its children use an AOT cache (JDK {@value #AOT_CACHE_FEATURE} and later). */
    public boolean usesAotCache() {
        return feature() >= AOT_CACHE_FEATURE;
    }

    /**
     * Whether its JVM has {@code -XX:TrimNativeHeapInterval}: from 22, and backported to 21.0.1 and 17.0.9. The
     * runtime's own JDK is asked instead, as it may be a build with a backport of its own.
     */
    public boolean trimsNativeHeap() {
        if (home.equals(current().home())) {
            return ChildJvmOptions.nativeHeapTrimSupported();
        }
        int feature = feature();
        return feature >= 22 || (feature == 21 && update() >= 1) || (feature == 17 && update() >= 9);
    }

    /**
     * What names this JDK's build for its archive: the folder, the version and the time its module image was
     * written (a JDK updated in place gets a new archive).
     */
    String identity() {
        long modules;
        try {
            modules = Files.getLastModifiedTime(home.resolve("lib").resolve("modules")).toMillis();
        } catch (IOException | RuntimeException e) {
            modules = 0;
        }
        return home + "|" + version + "|" + modules;
    }
}
