package dev.trampoline.itests;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** log:display, log:set, log:get and log:tail, typed into a running launcher's standard input. */
class LogCommandsTest {

    @TempDir
    Path work;

    private Path logFile() {
        return work.resolve(".trampoline/log/trampoline.log");
    }

    private String log() {
        try {
            return Files.exists(logFile()) ? Files.readString(logFile()) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A bundle that, when started, logs through the Log Service whether debug is enabled, and a DEBUG entry. */
    private static TestBundle chatty(String symbolicName) {
        String pkg = "act." + symbolicName.replace('.', '_');
        return TestBundle.named(symbolicName, "1.0.0").importing("org.osgi.framework,org.osgi.service.log")
                .header("Bundle-Activator", pkg + ".Activator")
                .source(pkg + ".Activator", "package " + pkg + ";\n"
                        + "import org.osgi.service.log.*;\n"
                        + "public final class Activator implements org.osgi.framework.BundleActivator {\n"
                        + "  public void start(org.osgi.framework.BundleContext c) {\n"
                        + "    Logger l = c.getService(c.getServiceReference(LoggerFactory.class)).getLogger(\"chatty\");\n"
                        + "    l.warn(\"debug enabled in " + symbolicName + ": \" + l.isDebugEnabled());\n"
                        + "    l.debug(\"chatty debug from " + symbolicName + "\");\n"
                        + "  }\n"
                        + "  public void stop(org.osgi.framework.BundleContext c) { }\n"
                        + "}\n");
    }

    @Test
    void displaySetGetAndTail() throws Exception {
        Path deploy = Files.createDirectories(work.resolve("deploy"));
        try (LauncherProcess p = LauncherProcess.start(work)) {
            chatty("log.first").writeTo(deploy.resolve("first.jar"));
            Eventually.until("the first bundle has started",
                    () -> log().contains("debug enabled in log.first: false"), () -> log() + p.describe());

            p.type("log:display\n");
            Eventually.until("log:display shows the Installed line", () -> p.out().contains("Installed log.first"),
                    p::describe);
            assertFalse(log().lines().anyMatch(l -> l.matches("\\S+ \\S+ DEBUG .*")), "no DEBUG entry yet:\n" + log());

            p.type("log:set DEBUG\n");
            chatty("log.second").writeTo(deploy.resolve("second.jar"));
            Eventually.until("the second bundle's debug entry is written, its isDebugEnabled() true",
                    () -> log().contains("debug enabled in log.second: true")
                            && log().lines().anyMatch(l -> l.matches(
                                    "\\S+ \\S+ DEBUG +\\[log\\.second\\] chatty debug from log\\.second")),
                    () -> log() + p.describe());

            p.type("log:get\n");
            Eventually.until("log:get shows both levels", () -> p.out().contains("Runtime log: DEBUG")
                    && p.out().contains("Log Service (LoggerAdmin): DEBUG"), p::describe);

            p.type("log:set INFO\nlog:set DEBUG log.fourth\n");
            chatty("log.third").writeTo(deploy.resolve("third.jar"));
            chatty("log.fourth").writeTo(deploy.resolve("fourth.jar"));
            Eventually.until("only the named bundle logs at DEBUG",
                    () -> log().contains("debug enabled in log.third: false")
                            && log().contains("debug enabled in log.fourth: true")
                            && log().contains("chatty debug from log.fourth"),
                    () -> log() + p.describe());
            assertFalse(log().contains("chatty debug from log.third"), log());

            int before = p.out().length();
            p.type("log:tail\n");
            Eventually.until("log:tail shows the latest entries", () -> p.out().length() > before, p::describe);
            int following = p.out().length();
            chatty("log.fifth").writeTo(deploy.resolve("fifth.jar"));
            Eventually.until("log:tail prints the entry logged after it started",
                    () -> p.out().substring(following).contains("Installed log.fifth"), p::describe);
        }
    }
}
