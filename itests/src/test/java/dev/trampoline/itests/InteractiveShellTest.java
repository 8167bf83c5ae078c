package dev.trampoline.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interactive shell on a real pseudo-terminal: util-linux {@code script} gives the launcher a terminal
 * and relays what the test types.
 */
class InteractiveShellTest {

    @TempDir
    Path work;

    @Test
    void terminalGetsAGogoShellWhoseLogLinesDoNotEatTheInputAndCtrlDExitsZero() throws Exception {
        Files.createDirectories(work.resolve("deploy"));
        Files.copy(Examples.greeterJar(), work.resolve("deploy/greeter.jar"));
        StringBuilder screen = new StringBuilder();
        Process p = startInPty(work, screen);
        try (OutputStream keys = p.getOutputStream()) {
            awaitPrompt(screen);
            assertFalse(text(screen).contains("dumb terminal"), "a real terminal, not JLine's fallback");

            keys.write("greeter:greet Pty".getBytes(StandardCharsets.UTF_8));
            keys.flush();
            // A log line arrives while the command is half typed ...
            TestBundleFiles.copyPrimes(work.resolve("deploy"));
            Eventually.until("the deploy is logged", () -> text(screen).contains("Started dev.trampoline.examples.primes"),
                    () -> text(screen));
            // ... and the typed text is still there to be run.
            keys.write("\r".getBytes(StandardCharsets.UTF_8));
            keys.flush();
            Eventually.until("the greeting", () -> text(screen).contains("Hello, Pty!"), () -> text(screen));

            exitWithCtrlD(keys, p, screen);
        } finally {
            p.destroyForcibly();
        }
    }

    /**
     * Tab after {@code tramp:call} completes the registered service interfaces, then the methods of the one
     * named, and the completed line runs.
     */
    @Test
    void tabCompletesTheServiceInterfaceAndTheMethodOfTrampCall() throws Exception {
        Files.createDirectories(work.resolve("deploy"));
        Files.copy(Examples.greeterJar(), work.resolve("deploy/greeter.jar"));
        StringBuilder screen = new StringBuilder();
        Process p = startInPty(work, screen);
        try (OutputStream keys = p.getOutputStream()) {
            awaitPrompt(screen);
            // JLine redraws the line with cursor moves (and colours), so the screen shows the completed words
            // without the spaces between them: what was typed has neither the full name nor the method.
            int typedAt = text(screen).length();
            type(keys, "tramp:call dev.trampoline.examples.gr\t");
            Eventually.until("the interface is completed", () -> plain(text(screen).substring(typedAt))
                    .contains("dev.trampoline.examples.greeter.Greeter"), () -> text(screen));
            int methodAt = text(screen).length();
            type(keys, "gr\t");
            Eventually.until("the method is completed", () -> plain(text(screen).substring(methodAt))
                    .matches("(?s).*greet(?!er).*"), () -> text(screen)); // not the package's greeter
            // and the line, run, proves both words complete: "grTab" would be no method.
            type(keys, "Tab\r");
            Eventually.until("the completed line runs", () -> text(screen).contains("Hello, Tab!"),
                    () -> text(screen));

            exitWithCtrlD(keys, p, screen);
        } finally {
            p.destroyForcibly();
        }
    }

    /**
     * Ctrl-C during a long {@code tramp:call} cancels that call (the child interrupts it) and nothing else: the
     * children (the call's, the spare) are in sessions of their own and get no SIGINT from the terminal, and the
     * runtime goes on, as it does after a Ctrl-C at an empty prompt.
     */
    @Test
    void ctrlCCancelsTheRunningCallAndNoChildJvmGetsTheSignal() throws Exception {
        Files.createDirectories(work.resolve("deploy"));
        JobsPlugin.bundle("v1").writeTo(work.resolve("deploy/jobs.jar"));
        Path marker = work.resolve("interrupted.txt");
        StringBuilder screen = new StringBuilder();
        Process p = startInPty(work, screen);
        try (OutputStream keys = p.getOutputStream()) {
            awaitPrompt(screen);
            type(keys, "tramp:call plugin.jobs.Jobs revision\r");
            Eventually.until("a first call answers", () -> text(screen).contains("(computed by child pid"),
                    () -> text(screen));
            ProcessHandle runtime = p.descendants()
                    .filter(d -> List.of(d.info().arguments().orElse(new String[0])).contains("-jar"))
                    .findFirst().orElseThrow(() -> new AssertionError("no runtime JVM under " + p.pid()));
            Eventually.until("a spare JVM is started", () -> childrenOf(runtime).stream()
                    .anyMatch(c -> arguments(c).contains("--spare")), () -> text(screen));

            type(keys, "tramp:call plugin.jobs.Jobs sleepUntilInterrupted " + marker + "\r");
            Eventually.until("the call runs in its child", () -> Files.exists(Path.of(marker + ".started")),
                    () -> text(screen));
            // Every child JVM now (the class-data training child excepted: it ends by itself when it is done).
            List<ProcessHandle> children = childrenOf(runtime).stream()
                    .filter(c -> !arguments(c).contains("--runtime-only")).toList();
            assertTrue(children.size() >= 2, "the call's child and the spare: " + children);
            // spares started without the class-data archive (they retire when it appears, replaced by one with it)
            List<ProcessHandle> spares = children.stream().filter(c -> arguments(c).contains("--spare")
                    && arguments(c).stream().noneMatch(InteractiveShellTest::usesArchive)).toList();
            int cancelledAt = text(screen).length();

            keys.write(3); // Ctrl-C
            keys.flush();
            // The command says what it did, in one line, and the shell prompts again.
            Eventually.until("the call says it was cancelled, then a prompt", () -> text(screen)
                    .substring(cancelledAt).matches("(?s).*Cancelled; child pid \\d+ was told to interrupt the call"
                            + "\\R.*g! .*"), () -> text(screen));
            Eventually.until("the child interrupted the call", () -> Files.exists(marker), () -> text(screen));
            String afterCtrlC = text(screen).substring(cancelledAt);
            assertEquals(1, afterCtrlC.split("Cancelled;", -1).length - 1, "one Cancelled line\n" + text(screen));
            assertFalse(afterCtrlC.contains("Exception"), "no InterruptedException, no stack trace\n" + text(screen));
            assertTrue(runtime.isAlive(), "the runtime goes on");
            assertChildrenGotNoSigint(runtime, children, spares, screen);

            // At the prompt, Ctrl-C discards the line being typed (as in Karaf), and the runtime goes on.
            int typedAt = text(screen).length();
            type(keys, "notrun:nothing");
            Eventually.until("the typing is echoed", () -> plain(text(screen).substring(typedAt))
                    .contains("notrun:nothing"), () -> text(screen));
            int promptedAt = text(screen).length();
            keys.write(3);
            keys.flush();
            Eventually.until("a new prompt", () -> text(screen).substring(promptedAt).contains("g! "),
                    () -> text(screen));
            type(keys, "tramp:call plugin.jobs.Jobs revision\r");
            Eventually.until("the next call answers", () -> text(screen).substring(promptedAt)
                    .contains("(computed by child pid"), () -> text(screen));
            assertFalse(text(screen).contains("InterruptedException"), text(screen));
            assertFalse(text(screen).contains("not found: notrun"), "the discarded line did not run\n" + text(screen));
            assertTrue(runtime.isAlive());
            assertChildrenGotNoSigint(runtime, children, spares, screen);

            exitWithCtrlD(keys, p, screen);
            for (ProcessHandle c : children) {
                Eventually.until("child JVM " + c.pid() + " ends with its runtime", () -> !c.isAlive());
            }
        } finally {
            p.destroyForcibly();
        }
    }

    /** Whether a JVM argument makes it use the children's class-data archive or AOT cache. */
    private static boolean usesArchive(String argument) {
        return argument.startsWith("-XX:SharedArchiveFile=") || argument.startsWith("-XX:AOTCache=");
    }

    /**
     * Each child JVM is still there, or is a spare without the class-data archive that retired as such spares do
     * when the archive appears: a spare with the archive runs then. A child the terminal's SIGINT killed would
     * be logged as {@code exited with status 130}.
     */
    private static void assertChildrenGotNoSigint(ProcessHandle runtime, List<ProcessHandle> children,
            List<ProcessHandle> sparesWithoutArchive, StringBuilder screen) {
        for (ProcessHandle c : children) {
            boolean replacedSpare = sparesWithoutArchive.contains(c) && childrenOf(runtime).stream()
                    .anyMatch(other -> arguments(other).contains("--spare")
                            && arguments(other).stream().anyMatch(InteractiveShellTest::usesArchive));
            assertTrue(c.isAlive() || replacedSpare, "child JVM " + c.pid() + " got no SIGINT\n" + text(screen));
        }
        assertFalse(text(screen).contains("exited with status"), text(screen));
    }

    /**
     * {@code log:tail} at the terminal prints an entry logged while it follows, once (the console leaves it to
     * the tail), and Ctrl-C ends it, not the runtime: the shell prompts again and runs the next command.
     */
    @Test
    void logTailFollowsUntilCtrlC() throws Exception {
        Files.createDirectories(work.resolve("deploy"));
        Files.copy(Examples.greeterJar(), work.resolve("deploy/greeter.jar"));
        StringBuilder screen = new StringBuilder();
        Process p = startInPty(work, screen);
        try (OutputStream keys = p.getOutputStream()) {
            awaitPrompt(screen);
            int tailAt = text(screen).length();
            type(keys, "log:tail\r");
            Eventually.until("log:tail shows the latest entries", () -> text(screen).substring(tailAt)
                    .contains("Started dev.trampoline.examples.greeter"), () -> text(screen));
            int followingAt = text(screen).length();
            TestBundleFiles.copyPrimes(work.resolve("deploy"));
            Eventually.until("the tail prints the new entry", () -> text(screen).substring(followingAt)
                    .contains("Started dev.trampoline.examples.primes"), () -> text(screen));

            int interruptedAt = text(screen).length();
            keys.write(3); // Ctrl-C
            keys.flush();
            Eventually.until("a new prompt", () -> text(screen).substring(interruptedAt).contains("g! "),
                    () -> text(screen));
            type(keys, "greeter:greet Tail\r");
            Eventually.until("the next command runs", () -> text(screen).substring(interruptedAt)
                    .contains("Hello, Tail!"), () -> text(screen));
            String followed = plain(text(screen).substring(followingAt, interruptedAt));
            assertEquals(1, followed.split("Installed dev.trampoline.examples.primes", -1).length - 1,
                    "each entry once, from the tail, not from the console too\n" + text(screen));
            // Quietly: nothing said about the interrupt, by the command or by the shell.
            String afterCtrlC = text(screen).substring(interruptedAt);
            assertFalse(afterCtrlC.contains("Exception"), "no InterruptedException, no stack trace\n" + text(screen));
            assertFalse(afterCtrlC.contains("Interrupted"), text(screen));

            exitWithCtrlD(keys, p, screen);
        } finally {
            p.destroyForcibly();
        }
    }

    /**
     * {@code exit} and {@code exit N} end the shell as Ctrl-D does, with that status; a line pasted with the
     * {@code exit} (so already typed when it runs) is not run.
     */
    @Test
    void exitAndExitNStopTheRuntimeWithThatStatusAndNoLineAfterThemRuns() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "util-linux script is needed for a pty");
        for (String exit : new String[] {"exit", "exit 3"}) {
            Path dir = Files.createDirectories(work.resolve(exit.replace(' ', '-')));
            Files.createDirectories(dir.resolve("deploy"));
            Files.copy(Examples.greeterJar(), dir.resolve("deploy/greeter.jar"));
            StringBuilder screen = new StringBuilder();
            CountDownLatch shownAll = new CountDownLatch(1);
            Process p = startInPty(dir, screen, shownAll);
            try (OutputStream keys = p.getOutputStream()) {
                awaitPrompt(screen);
                type(keys, "greeter:greet Before\r");
                Eventually.until("the greeting shows a greet", () -> text(screen).contains("Hello, Before!"),
                        () -> text(screen));
                type(keys, exit + "\rgreeter:greet Pasted\r"); // one paste: the second line waits to be read
                assertTrue(p.waitFor(60, TimeUnit.SECONDS), exit + " ends the shell and the runtime\n" + text(screen));
                int expected = exit.equals("exit") ? 0 : 3;
                assertEquals(expected, p.exitValue(), exit + "\n" + text(screen));
                assertTrue(shownAll.await(60, TimeUnit.SECONDS), "the terminal's output ends\n" + text(screen));
                String shown = text(screen);
                assertTrue(shown.contains("gosh: stopping framework"), "the shell ends as on Ctrl-D\n" + shown);
                // Run, the line would greet, or (the greeter stopping with the framework) not find the command.
                assertFalse(shown.contains("Hello, Pasted!") || shown.contains("not found: greeter:greet"),
                        "the line after " + exit + " did not run\n" + shown);
                assertFalse(shown.contains("Exception"), exit + " prints no stack trace\n" + shown);
                assertFalse(shown.contains("Cannot coerce"), shown);
                assertFalse(shown.contains("[org.apache.felix.scr]"), "no SCR start-up lines at INFO\n" + shown);
            } finally {
                p.destroyForcibly();
            }
        }
    }

    /** {@code java -jar trampoline.jar} in {@code dir} on a pseudo-terminal; what it shows goes to {@code screen}. */
    private static Process startInPty(Path dir, StringBuilder screen) throws java.io.IOException {
        return startInPty(dir, screen, new CountDownLatch(1));
    }

    /** As above; {@code shownAll} is counted down when the terminal's output has ended. */
    private static Process startInPty(Path dir, StringBuilder screen, CountDownLatch shownAll)
            throws java.io.IOException {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "util-linux script is needed for a pty");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // script runs the command through a shell: quote each word. Its pty has no size unless told. A build run
        // as a background job ignores SIGINT, and so would the runtime (a JVM keeps an ignored SIGINT ignored):
        // env gives it back the default, as a terminal's foreground program has it.
        String command = "stty cols 120 rows 40; exec env --default-signal=INT '" + java + "' -jar '"
                + Examples.trampolineJar() + "'";
        ProcessBuilder pb = new ProcessBuilder(List.of("/usr/bin/script", "-qfec", command, "/dev/null"))
                .directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("TERM", "xterm");
        Process p = pb.start();
        Thread reader = new Thread(() -> {
            byte[] buf = new byte[4096];
            try {
                int n;
                while ((n = p.getInputStream().read(buf)) > 0) {
                    synchronized (screen) {
                        screen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                    }
                }
            } catch (java.io.IOException e) {
                // ended
            }
            shownAll.countDown();
        });
        reader.setDaemon(true);
        reader.start();
        return p;
    }

    private static void type(OutputStream keys, String text) throws java.io.IOException {
        keys.write(text.getBytes(StandardCharsets.UTF_8));
        keys.flush();
    }

    /** Without the terminal's escape sequences (JLine colours what is typed as it echoes it). */
    private static String plain(String text) {
        return text.replaceAll("\u001B\\[[0-9;?]*[A-Za-z]|\u001B[=>]", "");
    }

    private static List<ProcessHandle> childrenOf(ProcessHandle runtime) {
        return runtime.children().toList();
    }

    private static List<String> arguments(ProcessHandle p) {
        return List.of(p.info().arguments().orElse(new String[0]));
    }

    private static void awaitPrompt(StringBuilder screen) {
        Eventually.until("the prompt appears", () -> text(screen).contains("g! "), () -> text(screen));
    }

    /** Ctrl-D ends the shell and the runtime with it: status 0, and the shell says it stops the framework. */
    private static void exitWithCtrlD(OutputStream keys, Process p, StringBuilder screen) throws Exception {
        keys.write(4);
        keys.flush();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "Ctrl-D ends the shell and the runtime\n" + text(screen));
        assertEquals(0, p.exitValue(), text(screen));
        // what the pty showed last may still be on its way to the reader
        Eventually.until("the shell says it stops the framework", () -> text(screen).contains("gosh: stopping framework"),
                () -> text(screen));
    }

    private static String text(StringBuilder screen) {
        synchronized (screen) {
            return screen.toString();
        }
    }

    /** Copies the primes example in with a temporary name and a rename, as the deploy folder wants. */
    private static final class TestBundleFiles {
        static void copyPrimes(Path deploy) throws java.io.IOException {
            Path tmp = deploy.resolve("primes.jar.part");
            Files.copy(Examples.primesJar(), tmp);
            Files.move(tmp, deploy.resolve("primes.jar"));
        }
    }
}
