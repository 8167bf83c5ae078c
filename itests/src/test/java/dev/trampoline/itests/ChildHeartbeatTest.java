package dev.trampoline.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Heartbeats with real JVMs: a parent (a launcher process) whose children get heartbeats
 * ({@code trampoline.child.heartbeatTimeoutMillis}, which children on other hosts get by default). A network
 * partition is made without a network: the parent is stopped (SIGSTOP), so it writes nothing while it stays alive
 * and keeps the child's stdin open, as an unreachable host's channel does; the child neither sees its channel end
 * nor its parent's pid go, and only the heartbeats' silence tells it.
 */
class ChildHeartbeatTest {

    /** Short, for a quick test; long enough that a parent held up on a busy machine keeps its children. */
    private static final long TIMEOUT_MILLIS = 2_000;
    private static final String SILENCE = "trampoline child: no heartbeat from the parent for ";

    private static LauncherProcess startParent(Path work) throws IOException {
        return startParent(work, TIMEOUT_MILLIS);
    }

    private static LauncherProcess startParent(Path work, long timeoutMillis) throws IOException {
        Files.createDirectories(work.resolve("deploy"));
        Files.copy(Examples.greeterJar(), work.resolve("deploy").resolve("greeter.jar"));
        // No spare JVM: it waits for a child's arguments, not for heartbeats, and only adds a JVM here.
        return LauncherProcess.start(work, "-Dtrampoline.child.heartbeatTimeoutMillis=" + timeoutMillis,
                "-Dtrampoline.child.spare=false");
    }

    /** Greets {@code name} through a child; returns the pid of the child that answered. */
    private static long greet(LauncherProcess parent, String name) throws IOException {
        parent.type("tramp:call dev.trampoline.examples.greeter.Greeter greet " + name + "\n");
        Pattern answer = Pattern.compile("Hello, " + name + "!\\R\\(computed by child pid (\\d+)\\)");
        Eventually.until("greeting " + name + " answered", () -> answer.matcher(parent.out()).find(),
                parent::describe);
        Matcher m = answer.matcher(parent.out());
        assertTrue(m.find());
        return Long.parseLong(m.group(1));
    }

    private static void signal(LauncherProcess parent, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(parent.process().pid())).start();
        assertEquals(0, kill.waitFor(), "kill -" + signal);
    }

    /**
     * Whether process {@code pid} has exited: it is gone, or a zombie that its stopped parent cannot reap yet
     * (which {@link ProcessHandle#isAlive} still counts as alive).
     */
    private static boolean exited(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException gone) {
            return true;
        }
    }

    private static String log(Path work) throws IOException {
        try (Stream<Path> files = Files.walk(work)) {
            Path file = files.filter(f -> f.getFileName().toString().equals("trampoline.log")).findFirst()
                    .orElse(null);
            return file == null ? "" : Files.readString(file);
        }
    }

    private static String logText(Path work) {
        try {
            return log(work);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aChildWhoseParentFallsSilentWithTheChannelOpenExitsAndSaysWhy(@TempDir Path work) throws Exception {
        try (LauncherProcess parent = startParent(work)) {
            ProcessHandle child = ProcessHandle.of(greet(parent, "Partition")).orElseThrow();

            signal(parent, "STOP");
            try {
                Eventually.until("the child of the silent parent exits", () -> exited(child.pid()),
                        parent::describe);
            } finally {
                signal(parent, "CONT");
            }

            assertTrue(parent.process().isAlive(), "the parent was stopped, not gone: " + parent.describe());
            // What the child wrote to stderr waited in its pipe while the parent was stopped; now it is logged.
            Eventually.until("the child's reason reaches the parent's log", () -> logText(work).contains(SILENCE),
                    () -> logText(work));
            Matcher m = Pattern.compile(Pattern.quote(SILENCE) + "(\\d+) ms; exiting").matcher(logText(work));
            assertTrue(m.find(), logText(work));
            assertTrue(Long.parseLong(m.group(1)) >= TIMEOUT_MILLIS, "it waited the whole timeout: " + m.group());
            assertNotEquals(child.pid(), greet(parent, "Afterwards"), "a new child serves the next call");
        }
    }

    /** A plugin whose stop never returns: it holds its framework's stop, in the parent and in every child. */
    private static final String STUBBORN = "package stubborn;\n"
            + "public final class Activator implements org.osgi.framework.BundleActivator {\n"
            + "  public void start(org.osgi.framework.BundleContext c) { }\n"
            + "  public void stop(org.osgi.framework.BundleContext c) {\n"
            + "    while (true) { try { Thread.sleep(60_000); } catch (InterruptedException e) { } }\n"
            + "  }\n"
            + "}\n";

    @Test
    void aChildWhoseFrameworkCannotStopHaltsAfterItsParentFellSilent(@TempDir Path work) throws Exception {
        TestBundle.named("test.stubborn", "1.0.0").importing("org.osgi.framework")
                .header("Bundle-Activator", "stubborn.Activator").source("stubborn.Activator", STUBBORN)
                .writeTo(Files.createDirectories(work.resolve("deploy")).resolve("stubborn.jar"));
        try (LauncherProcess parent = startParent(work)) {
            long child = greet(parent, "Stubborn");

            signal(parent, "STOP");
            try {
                Eventually.until("the child that cannot stop halts", () -> exited(child), parent::describe);
            } finally {
                signal(parent, "CONT");
            }

            Eventually.until("the child's reason reaches the parent's log",
                    () -> logText(work).contains("the framework did not stop within"), () -> logText(work));
            assertTrue(logText(work).contains(SILENCE), logText(work));
        }
    }

    @Test
    void withHeartbeatsFlowingAnIdleChildOutlivesItsTimeoutAndAnswersTheNextCall(@TempDir Path work)
            throws Exception {
        // The default timeout: a parent held up for less than half of it (3 s) on a busy machine keeps its child.
        long timeout = 6_000;
        try (LauncherProcess parent = startParent(work, timeout)) {
            long first = greet(parent, "Before");

            // Idleness is the condition under test: without heartbeats the child would leave after one timeout.
            Thread.sleep(timeout * 3 / 2);

            assertEquals(first, greet(parent, "After"), "the same child answered:\n" + parent.describe());
            assertFalse(logText(work).contains(SILENCE), logText(work));
        }
    }
}
