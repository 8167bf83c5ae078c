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
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "util-linux script is needed for a pty");
        Files.createDirectories(work.resolve("deploy"));
        Files.copy(Examples.greeterJar(), work.resolve("deploy/greeter.jar"));
        StringBuilder screen = new StringBuilder();
        Process p = startInPty(work, screen);
        try (OutputStream keys = p.getOutputStream()) {
            Eventually.until("the prompt appears", () -> text(screen).contains("g! "), () -> text(screen));
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

            keys.write(4); // Ctrl-D
            keys.flush();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "Ctrl-D ends the shell and the runtime\n" + text(screen));
            assertEquals(0, p.exitValue(), text(screen));
            assertTrue(text(screen).contains("gosh: stopping framework"), text(screen));
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void exitAndExitNStopTheRuntimeWithThatStatusAndNoStackTrace() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "util-linux script is needed for a pty");
        for (String exit : new String[] {"exit", "exit 3"}) {
            Path dir = Files.createDirectories(work.resolve(exit.replace(' ', '-')));
            StringBuilder screen = new StringBuilder();
            Process p = startInPty(dir, screen);
            try (OutputStream keys = p.getOutputStream()) {
                Eventually.until("the prompt appears", () -> text(screen).contains("g! "), () -> text(screen));
                keys.write((exit + "\r").getBytes(StandardCharsets.UTF_8));
                keys.flush();
                assertTrue(p.waitFor(60, TimeUnit.SECONDS), exit + " ends the shell and the runtime\n" + text(screen));
                int expected = exit.equals("exit") ? 0 : 3;
                assertEquals(expected, p.exitValue(), exit + "\n" + text(screen));
                // What the pty showed last may still be on its way to the reader.
                Eventually.until("the shell ends as on Ctrl-D", () -> text(screen).contains("gosh: stopping framework"),
                        () -> text(screen));
                String shown = text(screen);
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
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // script runs the command through a shell: quote each word. Its pty has no size unless told.
        String command = "stty cols 120 rows 40; exec '" + java + "' -jar '" + Examples.trampolineJar() + "'";
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
        });
        reader.setDaemon(true);
        reader.start();
        return p;
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
