package dev.trampoline.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
            assertTrue(p.out().matches("(?s).*INFO  \\[launcher\\] Started in \\d+ ms.*"),
                    "the launcher's line is an entry of the log:\n" + p.describe());
            assertEquals(1, count(p.err(), "Started in"), "on the console once:\n" + p.describe());
            assertEquals(1, count(log(), "Started in"), "in the log file once:\n" + log());
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

    private static int count(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1;
    }

    /**
     * A bundle offering a Supplier ({@code test.name=log.child}) whose every call logs, through the bundle's
     * logger, a DEBUG entry and then a WARN entry, both numbered and naming the JVM's pid.
     */
    private static TestBundle callLogger() {
        return TestBundle.named("log.child", "1.0.0").importing("org.osgi.framework,org.osgi.service.log")
                .header("Bundle-Activator", "act.log_child.Activator")
                .source("act.log_child.Activator", "package act.log_child;\n"
                        + "import org.osgi.service.log.*;\n"
                        + "public final class Activator implements org.osgi.framework.BundleActivator {\n"
                        + "  private static final java.util.concurrent.atomic.AtomicInteger CALLS ="
                        + " new java.util.concurrent.atomic.AtomicInteger();\n"
                        + "  public void start(org.osgi.framework.BundleContext c) {\n"
                        + "    Logger l = c.getService(c.getServiceReference(LoggerFactory.class))"
                        + ".getLogger(\"calls\");\n"
                        + "    java.util.Hashtable<String, Object> p = new java.util.Hashtable<>();\n"
                        + "    p.put(\"test.name\", \"log.child\");\n"
                        + "    java.util.function.Supplier<String> s = () -> {\n"
                        + "      String call = \"call \" + CALLS.incrementAndGet() + \" in pid \""
                        + " + ProcessHandle.current().pid();\n"
                        + "      l.debug(\"debug from \" + call);\n"
                        + "      l.warn(\"warn from \" + call);\n"
                        + "      return \"logged \" + call;\n"
                        + "    };\n"
                        + "    c.registerService(java.util.function.Supplier.class, s, p);\n"
                        + "  }\n"
                        + "  public void stop(org.osgi.framework.BundleContext c) { }\n"
                        + "}\n");
    }

    private static final Pattern LOGGED = Pattern.compile("logged (call \\d+ in pid (\\d+))");

    /** Calls the bundle in a child ({@code options}: tramp:call's) and waits for its WARN entry; "call N in pid P". */
    private String call(LauncherProcess p, String options) throws Exception {
        int from = p.out().length();
        p.type("tramp:call " + options + "'(test.name=log.child)' get\n");
        Eventually.until("the call answered", () -> LOGGED.matcher(p.out().substring(from)).find(), p::describe);
        Matcher m = LOGGED.matcher(p.out().substring(from));
        assertTrue(m.find());
        String call = m.group(1);
        // The child writes its entries in order on one stream, which the parent reads in order: once the WARN
        // entry is here, the DEBUG entry before it is here too, or was not let through.
        Eventually.until("the call's WARN entry reached the parent's log",
                () -> log().contains("[log.child] [child " + m.group(2) + "] warn from " + call),
                () -> log() + p.describe());
        return call;
    }

    private boolean debugLogged(String call) {
        return log().lines().anyMatch(l -> l.matches("\\S+ \\S+ DEBUG +\\[log\\.child\\] \\[child \\d+\\] debug from "
                + Pattern.quote(call)));
    }

    private static String pid(String call) {
        return call.replaceAll(".* in pid ", "");
    }

    @Test
    void logSetReachesRunningAndNewChildren() throws Exception {
        Path deploy = Files.createDirectories(work.resolve("deploy"));
        callLogger().writeTo(deploy.resolve("child.jar"));
        try (LauncherProcess p = LauncherProcess.start(work)) {
            String first = call(p, "");
            assertFalse(debugLogged(first), "no DEBUG entry before log:set:\n" + log());

            p.type("log:set DEBUG log.child\n");
            Eventually.until("log:set answered", () -> p.out().contains("Log level DEBUG for logger or bundle"),
                    p::describe);
            // The running child gets the levels over its channel, a moment after log:set returns: call it until
            // a call in it logs its DEBUG entry.
            String reused = first;
            for (int i = 0; i < 100 && !(debugLogged(reused) && pid(reused).equals(pid(first))); i++) {
                reused = call(p, "");
            }
            assertTrue(debugLogged(reused), "the running child's DEBUG entry reaches the log:\n" + log());
            assertEquals(pid(first), pid(reused), "the child that ran before log:set:\n" + log());

            String fresh = call(p, "--fresh ");
            assertNotEquals(pid(first), pid(fresh), "a new child");
            assertTrue(debugLogged(fresh), "a new child starts with the levels:\n" + log());
            p.type("log:display\n");
            Eventually.until("log:display shows the child's DEBUG entry",
                    () -> p.out().contains("[log.child] [child " + pid(fresh) + "] debug from " + fresh), p::describe);

            p.type("log:set INFO log.child\n");
            Eventually.until("log:set answered", () -> p.out().contains("Log level INFO for logger or bundle"),
                    p::describe);
            String quiet = call(p, "");
            for (int i = 0; i < 100 && (debugLogged(quiet) || !pid(quiet).equals(pid(first))); i++) {
                quiet = call(p, "");
            }
            assertFalse(debugLogged(quiet), "log:set INFO ends the child's DEBUG entries:\n" + log());
            assertEquals(pid(first), pid(quiet), "in the same running child:\n" + log());
        }
    }

    @Test
    void levelsSetByLogSetEndWithTheRun() throws Exception {
        try (LauncherProcess p = LauncherProcess.start(work)) {
            p.type("log:set DEBUG\nlog:set TRACE log.kept\nlog:get\n");
            Eventually.until("log:get shows the levels set", () -> p.out().contains("Runtime log: DEBUG")
                    && p.out().matches("(?s).*log\\.kept +TRACE.*"), p::describe);
            assertTrue(p.out().matches("(?s).*\n  logger log\\.kept +TRACE\n.*"),
                    "the Log Service's level for the logger of that name, named so (no bundle has it):\n"
                    + p.describe());
        }
        try (LauncherProcess p = LauncherProcess.start(work)) {
            p.type("log:get\nconfig:list\n");
            Eventually.until("log:get and config:list answered", () -> p.out().contains("Log Service (LoggerAdmin)")
                    && (p.out().contains("No configurations.") || p.out().contains("Pid:")), p::describe);
            assertTrue(p.out().contains("Runtime log: INFO\nLog Service (LoggerAdmin): INFO\n"),
                    "the start level, no level set by name:\n" + p.describe());
            assertFalse(p.out().contains("org.osgi.service.log.admin"),
                    "no level configuration left:\n" + p.describe());
        }
    }

    @Test
    void levelsFromADeployFolderFileStayAcrossRestarts() throws Exception {
        Path deploy = Files.createDirectories(work.resolve("deploy"));
        Files.writeString(deploy.resolve("org.osgi.service.log.admin|log.filed.cfg"), "ROOT = DEBUG\n");
        for (int run = 1; run <= 2; run++) {
            try (LauncherProcess p = LauncherProcess.start(work)) {
                // The file is applied when the deploy folder is scanned; log:get is typed until it shows it.
                p.typeUntil("log:get\n", "log.filed");
                assertTrue(p.out().matches("(?s).*Runtime log: INFO\n  log\\.filed +DEBUG\n.*"),
                        "run " + run + ": the file's level is the log's\n" + p.describe());
            }
        }
    }
}
