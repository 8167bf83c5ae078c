package dev.trampoline.itests;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Children on another JDK than the runtime's: named per call ({@code tramp:call --java}) or for every child
 * ({@code trampoline.child.java}); on JDK 25, from an AOT cache a training child made on that JDK. Through the
 * executable jar: a class path of jars, for which the JVM makes and uses an AOT cache (see {@code ArchiveBlocker}).
 */
class OtherJdkChildTest {

    private static final Path JDK_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
    /** The child's main class: loaded from the AOT cache if the child used one, from the launcher jar if not. */
    private static final String CHILD_MAIN = "dev.trampoline.launcher.internal.child.ChildMain";
    private static final Pattern COMPUTED_BY = Pattern.compile("feature (\\d+)\\s+\\(computed by child pid (\\d+)");

    @TempDir
    Path root;

    @BeforeEach
    void deploy() throws Exception {
        assumeTrue(Files.isExecutable(JDK_25.resolve("bin/java")), "no JDK 25 in " + JDK_25);
        Files.createDirectories(root.resolve("deploy"));
        // Evaluated in the child, when its framework starts the bundle: the JDK the child runs on.
        TestBundle.named("test.jdk", "1.0.0").activatorSupplying("\"feature \" + Runtime.version().feature()")
                .writeTo(root.resolve("deploy/jdk.jar"));
    }

    @Test
    void aCallNamingJdk25RunsThereFromAnAotCacheMadeOnItWhileOtherCallsStayOnTheRuntimesJdk() throws Exception {
        // Every child logs where its classes came from, in a file of its own (%p: its pid).
        try (LauncherProcess p = LauncherProcess.start(root,
                "-Dtrampoline.child.jvmOptions=-Xlog:class+load=info:file=" + root.resolve("classes-%p.log"))) {
            String onJdk25 = "tramp:call --fresh --java " + JDK_25 + " '(test.name=test.jdk)' get\n";
            p.type(onJdk25);
            Eventually.until("the first call on JDK 25 answered", () -> answers(p.out(), 25) == 1, p::describe);
            Eventually.until("the training child on JDK 25 wrote the AOT cache", () -> aotCache() != null,
                    p::describe);

            p.type(onJdk25);
            Eventually.until("the second call on JDK 25 answered", () -> answers(p.out(), 25) == 2, p::describe);
            long second = lastPid(p.out(), 25);
            String command = ProcessHandle.of(second).flatMap(h -> h.info().command()).orElse("(gone)");
            String classes = Files.readString(root.resolve("classes-" + second + ".log"));
            assertTrue(classes.contains(CHILD_MAIN + " source: shared objects file"),
                    "the later child's classes came from the AOT cache " + aotCache() + " (its java: " + command
                    + "):\n" + classes.lines().filter(l -> l.contains(CHILD_MAIN)).toList());

            int own = Runtime.version().feature(); // the launcher's JDK: 25 too when the tests run on it
            long before = answers(p.out(), own);
            p.type("tramp:call '(test.name=test.jdk)' get\n");
            Eventually.until("a call without --java answered on the runtime's JDK",
                    () -> answers(p.out(), own) == before + 1, p::describe);

            Path noJdk = root.resolve("no-such-jdk");
            p.type("tramp:call --java " + noJdk + " '(test.name=test.jdk)' get\n");
            Eventually.until("a call naming a folder without a JDK failed, saying so",
                    () -> p.err().contains("The Java home " + noJdk + " does not exist"), p::describe);
            p.type("tramp:call --host h1 --java " + JDK_25 + " '(test.name=test.jdk)' get\n");
            Eventually.until("a call naming a host and a Java home failed, saying why",
                    () -> p.err().contains("A call on host 'h1' runs on the java its host configuration names"),
                    p::describe);
        }
    }

    @Test
    void theFrameworkPropertyPutsEveryChildOnThatJdk() throws Exception {
        try (LauncherProcess p = LauncherProcess.start(root, "-Dtrampoline.child.java=" + JDK_25)) {
            p.type("tramp:call '(test.name=test.jdk)' get\n");
            Eventually.until("the call answered on JDK 25", () -> answers(p.out(), 25) == 1, p::describe);
            Eventually.until("the training child on JDK 25 wrote the AOT cache", () -> aotCache() != null,
                    p::describe);

            p.type("tramp:children\n");
            long child = lastPid(p.out(), 25);
            Eventually.until("tramp:children lists the child with its JDK", () -> p.out().lines()
                    .anyMatch(l -> l.strip().startsWith(child + " ") && l.endsWith(" 25  local")), p::describe);
        }
    }

    private static long answers(String out, int feature) {
        Matcher m = COMPUTED_BY.matcher(out);
        return m.results().filter(r -> Integer.parseInt(r.group(1)) == feature).count();
    }

    private static long lastPid(String out, int feature) {
        Matcher m = COMPUTED_BY.matcher(out);
        return m.results().filter(r -> Integer.parseInt(r.group(1)) == feature)
                .reduce((a, b) -> b).map(r -> Long.parseLong(r.group(2))).orElse(-1L);
    }

    private Path aotCache() {
        try (Stream<Path> files = Files.walk(root.resolve(".trampoline"))) {
            return files.filter(f -> f.getFileName().toString().matches("child-\\w+\\.aot")).findFirst().orElse(null);
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return null; // files come and go while we look
        }
    }
}
