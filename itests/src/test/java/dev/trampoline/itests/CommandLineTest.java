package dev.trampoline.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The executable jar as a user runs it: real processes, real folders, exit codes. */
class CommandLineTest {

    @TempDir
    Path work;

    private void deployGreeter() throws Exception {
        Files.createDirectories(work.resolve("deploy"));
        Files.copy(Examples.greeterJar(), work.resolve("deploy").resolve("greeter.jar"));
    }

    @Test
    void execRunsOneCommandAfterTheFirstScanAndExitsZero() throws Exception {
        deployGreeter();

        LauncherProcess p = LauncherProcess.run(work, "", "--exec", "greeter:greet World");

        assertEquals(0, p.exitCode(), p.describe());
        assertEquals("Hello, World!", p.out().strip(), "only the command's output on stdout");
        assertTrue(p.err().contains("Trampoline 0.1.0-SNAPSHOT"), p.err());
        assertTrue(p.err().contains(work.resolve("deploy").toString()), "the banner names the deploy folder");
        assertTrue(p.err().contains(work.resolve(".trampoline").toString()), "the banner names the storage folder");
        assertTrue(Files.isRegularFile(work.resolve(".trampoline/log/trampoline.log")));
        assertFalse(p.err().contains("[org.apache.felix.scr]"), "SCR's start-up INFO lines are not news:\n" + p.err());
    }

    @Test
    void aJarAddedWhileStoppedIsLoggedAsInstalledAndStartedAtTheNextStart() throws Exception {
        Files.createDirectories(work.resolve("deploy"));
        assertEquals(0, LauncherProcess.run(work, "", "--exec", "lb").exitCode(), "a first run on an empty folder");
        deployGreeter();

        LauncherProcess p = LauncherProcess.run(work, "", "--exec", "greeter:greet World");

        assertEquals(0, p.exitCode(), p.describe());
        assertTrue(p.err().contains("Installed dev.trampoline.examples.greeter"), p.err());
        assertTrue(p.err().contains("Started dev.trampoline.examples.greeter"),
                "started in this run, even if by the framework as it rose to its level:\n" + p.err());
    }

    @Test
    void theBundleContextsCommandsWorkFromTheFirstPipedLine() throws Exception {
        LauncherProcess p = LauncherProcess.run(work, "bundle 0\n");

        assertEquals(0, p.exitCode(), p.describe());
        assertTrue(p.out().contains("org.apache.felix.framework"), "the system bundle, shown:\n" + p.describe());
    }

    @Test
    void failingCommandExitsOneWithItsMessageOnStandardError() throws Exception {
        LauncherProcess p = LauncherProcess.run(work, "", "--exec", "no:such-command");

        assertEquals(1, p.exitCode(), p.describe());
        assertTrue(p.err().contains("Command not found"), p.err());
    }

    @Test
    void usageErrorsExitTwoWithTheUsage() throws Exception {
        for (String[] args : new String[][] {{"--bogus"}, {"--deploy"}, {"--log-level", "loud"},
                {"--exec", "lb", "--no-shell"}}) {
            LauncherProcess p = LauncherProcess.run(work, "", args);
            assertEquals(2, p.exitCode(), String.join(" ", args) + "\n" + p.describe());
            assertTrue(p.err().contains("Usage:"), p.err());
        }
        assertFalse(Files.exists(work.resolve(".trampoline")), "a usage error starts nothing");
    }

    @Test
    void helpAndVersionPrintAndExitZero() throws Exception {
        LauncherProcess help = LauncherProcess.run(work, "", "--help");
        assertEquals(0, help.exitCode());
        assertTrue(help.out().contains("--deploy DIR"), help.out());

        LauncherProcess version = LauncherProcess.run(work, "", "--version");
        assertEquals(0, version.exitCode());
        assertEquals("Trampoline 0.1.0-SNAPSHOT", version.out().strip());
    }

    @Test
    void commandsFromStandardInputRunLineByLineUntilItEnds() throws Exception {
        deployGreeter();

        LauncherProcess p = LauncherProcess.run(work, "greeter:greet Ann\nno:such-command\ngreeter:greet Bob\n");

        assertEquals(1, p.exitCode(), "a failed line fails the run\n" + p.describe());
        assertTrue(p.out().contains("Hello, Ann!") && p.out().contains("Hello, Bob!"), p.describe());
        assertTrue(p.err().contains("Command not found: no:such-command"), "a failed line is reported and the rest run");
        assertTrue(p.err().contains("1 command line failed, the first on line 2: no:such-command"), p.err());
    }

    @Test
    void commandsFromStandardInputThatAllSucceedExitZero() throws Exception {
        LauncherProcess p = LauncherProcess.run(work, "echo one\n\n# a comment\necho two\n");

        assertEquals(0, p.exitCode(), p.describe());
        assertTrue(p.out().contains("one") && p.out().contains("two"), p.describe());
        assertFalse(p.err().contains("failed"), p.err());
    }

    @Test
    void exitFromStandardInputStopsTheRuntimeAndNothingAfterItRuns() throws Exception {
        LauncherProcess bare = LauncherProcess.run(work, "echo before\nexit\necho after\n");
        assertEquals(0, bare.exitCode(), bare.describe());
        assertTrue(bare.out().contains("before"), bare.describe());
        assertFalse(bare.out().contains("after"), "the line after exit does not run\n" + bare.describe());
        assertFalse(bare.err().contains("Exception") || bare.err().contains("not found"), bare.describe());

        LauncherProcess three = LauncherProcess.run(work, "echo before\nexit 3\necho after\n");
        assertEquals(3, three.exitCode(), three.describe());
        assertFalse(three.out().contains("after"), "the line after exit 3 does not run\n" + three.describe());
        assertFalse(three.err().contains("Exception"), three.describe());
    }

    @Test
    void exitEndsTheRunEvenWithStandardInputStillOpen() throws Exception {
        try (LauncherProcess p = LauncherProcess.start(work)) {
            p.type("echo before\nexit 5\n"); // and standard input is not closed

            assertEquals(5, p.awaitExit(), p.describe());
            assertTrue(p.out().contains("before"), p.describe());
        }
    }

    @Test
    void execOfExitExitsWithItsStatus() throws Exception {
        LauncherProcess p = LauncherProcess.run(work, "", "--exec", "exit 4");

        assertEquals(4, p.exitCode(), p.describe());
        assertFalse(p.err().contains("Exception"), p.describe());
    }

    @Test
    void aDeployFolderThatIsAFileIsAOneLineUsageErrorBeforeAnythingStarts() throws Exception {
        Files.writeString(work.resolve("plugins.jar"), "not a folder");

        LauncherProcess p = LauncherProcess.run(work, "", "--deploy", "plugins.jar", "--exec", "lb");

        assertEquals(2, p.exitCode(), p.describe());
        assertEquals(1, p.err().strip().lines().count(), "one line:\n" + p.err());
        assertTrue(p.err().contains("--deploy " + work.resolve("plugins.jar") + " is a file, not a folder"), p.err());
        assertFalse(Files.exists(work.resolve(".trampoline")), "nothing started");
    }

    @Test
    void aStorageFolderThatIsAFileOrUnderOneIsAOneLineUsageError() throws Exception {
        Files.writeString(work.resolve("state"), "not a folder");
        for (String storage : new String[] {"state", "state/sub"}) {
            LauncherProcess p = LauncherProcess.run(work, "", "--storage", storage, "--exec", "lb");

            assertEquals(2, p.exitCode(), p.describe());
            assertEquals(1, p.err().strip().lines().count(), "one line:\n" + p.err());
            assertTrue(p.err().startsWith("trampoline: --storage " + work.resolve(storage)), p.err());
            assertTrue(p.err().contains(work.resolve("state") + " is a file"), p.err());
        }
    }

    @Test
    void stopZeroStopsTheFrameworkAndExitsZeroWhileStandardInputStaysOpen() throws Exception {
        try (LauncherProcess p = LauncherProcess.start(work)) {
            p.type("echo before\nstop 0\n"); // and standard input is not closed

            assertEquals(0, p.awaitExit(), p.describe());
            assertTrue(p.out().contains("before"), p.describe());
        }
    }

    @Test
    void headlessRunStopsCleanlyOnSigtermAndTheNextStartResumesTheSameBundles() throws Exception {
        Path extra = work.resolve("extra.jar");
        Files.copy(Examples.primesJar(), extra);
        LauncherProcess first = LauncherProcess.run(work, "install " + extra.toUri() + "\n");
        assertEquals(0, first.exitCode(), first.describe());

        try (LauncherProcess headless = LauncherProcess.start(work, "--no-shell")) {
            Eventually.until("the runtime reports it started", () -> headless.err().contains("Started in"),
                    headless::describe);
            headless.process().destroy(); // SIGTERM
            assertEquals(0, headless.awaitExit(), headless.describe());
        }

        LauncherProcess lb = LauncherProcess.run(work, "", "--exec", "lb -s");
        assertEquals(0, lb.exitCode(), lb.describe());
        assertTrue(lb.out().contains("dev.trampoline.examples.primes"), "installed in the first run:\n" + lb.out());

        LauncherProcess clean = LauncherProcess.run(work, "", "--clean", "--exec", "lb -s");
        assertFalse(clean.out().contains("dev.trampoline.examples.primes"), "--clean forgets it:\n" + clean.out());
    }

    @Test
    void deployCommandListsFoldersFilesAndErrors() throws Exception {
        deployGreeter();
        Files.writeString(work.resolve("deploy").resolve("broken.jar"), "not a zip");

        LauncherProcess p = LauncherProcess.run(work, "", "-Dtrampoline.deploy.incompleteMillis=200",
                "--exec", "tramp:deploy");

        assertEquals(0, p.exitCode(), p.describe());
        String out = p.out();
        assertTrue(out.contains("Deploy folder " + work.resolve("deploy")), out);
        assertTrue(out.matches("(?s).*greeter\\.jar\\s+ACTIVE\\s+bundle \\d+ dev\\.trampoline\\.examples\\.greeter.*"), out);
        assertTrue(out.matches("(?s).*broken\\.jar\\s+FAILED.*error: not a readable jar.*"), out);
    }

    @Test
    void logLevelDebugWritesDebugEntriesToTheLogFile() throws Exception {
        LauncherProcess p = LauncherProcess.run(work, "", "--log-level", "debug", "--exec", "lb");

        assertEquals(0, p.exitCode(), p.describe());
        String log = Files.readString(work.resolve(".trampoline/log/trampoline.log"));
        assertTrue(log.contains(" DEBUG "), "debug entries are written at --log-level debug");
    }
}
