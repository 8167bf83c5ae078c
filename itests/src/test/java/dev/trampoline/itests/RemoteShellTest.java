package dev.trampoline.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Remote execution from the command line: the seed's scenario, the tramp: commands, and a killed parent. */
class RemoteShellTest {

    @TempDir
    Path work;

    private void deploy(Path jar, String name) throws Exception {
        Files.createDirectories(work.resolve("deploy"));
        Files.copy(jar, work.resolve("deploy").resolve(name));
    }

    @Test
    void droppedPluginRunsItsBackgroundJobInAChild() throws Exception {
        deploy(Examples.jobsJar(), "jobs.jar");

        LauncherProcess p = LauncherProcess.run(work, "", "--exec", "jobs:bg seed 50");

        assertEquals(0, p.exitCode(), p.describe());
        Matcher m = Pattern.compile("job seed: \\d+ iterations in child pid (\\d+) \\(this runtime is pid (\\d+)\\), run by "
                + "dev\\.trampoline\\.examples\\.jobs \\S+ (\\S+)").matcher(p.out());
        assertTrue(m.find(), p.describe());
        assertNotEquals(m.group(1), m.group(2), "the job ran in another process");
        assertEquals(work.resolve("deploy/jobs.jar").toUri().toString(), m.group(3), "which installed the dropped jar");
    }

    @Test
    void configuredServiceAnswersTheSameInAChildAndAFailedCallNamesItsException() throws Exception {
        deploy(Examples.greeterJar(), "greeter.jar");
        Files.writeString(work.resolve("deploy/dev.trampoline.examples.greeter.cfg"), "greeting = Bonjour\n");
        TestBundle.named("test.thrower", "1.0.0")
                .activatorSupplying("java.util.Objects.requireNonNull((String) null, \"no greeting today\")")
                .writeTo(work.resolve("deploy/thrower.jar"));

        LauncherProcess p = LauncherProcess.run(work, String.join("\n",
                "tramp:call dev.trampoline.examples.greeter.Greeter greet World",
                "tramp:call '(test.name=test.thrower)' get", // quoted: Gogo evaluates (a=b) as an assignment
                "tramp:call -v '(test.name=test.thrower)' get",
                "tramp:candidates 1 [tramp:call]", "")); // what Tab offers as SERVICE

        assertTrue(p.out().contains("Bonjour, World!\n(computed by child pid"), p.describe());
        assertTrue(p.out().contains("\ndev.trampoline.examples.greeter.Greeter\n"), p.describe());
        assertFalse(p.out().contains("org.apache.felix.gogo.command.Basic"), "no shell command: " + p.describe());
        assertFalse(p.out().contains("java.lang.Object"), p.describe());
        assertFalse(p.out().contains(".internal."), p.describe());
        assertTrue(p.err().contains("tramp:call '(test.name=test.thrower)' get: java.lang.NullPointerException: "
                + "no greeting today (tramp:call -v shows its stacks)"), p.describe());
        assertTrue(p.err().matches("(?s).*tramp:call -v '\\(test.name=test.thrower\\)' get: "
                + "java.lang.NullPointerException: no greeting today\\R.*\\tat java.base/java.util.Objects"
                + ".requireNonNull.*the call was submitted here.*"), p.describe());
    }

    @Test
    void trampCommandsCallListAndKillChildren() throws Exception {
        deploy(Examples.primesJar(), "primes.jar");
        deploy(Examples.greeterJar(), "greeter.jar");

        try (LauncherProcess p = LauncherProcess.start(work)) {
            p.type("tramp:call dev.trampoline.examples.primes.Primes countBelow 1000\n");
            Eventually.until("the call answered", () -> p.out().contains("(computed by child pid"), p::describe);
            long pid = Long.parseLong(p.out().replaceAll("(?s).*computed by child pid (\\d+).*", "$1"));
            assertTrue(p.out().contains("168\n"), "168 primes below 1000:\n" + p.out());

            p.type("tramp:call (objectClass=dev.trampoline.examples.greeter.Greeter) greet Shell\n");
            Eventually.until("the filter call answered", () -> p.out().contains("Hello, Shell!"), p::describe);

            p.type("tramp:children\n");
            Eventually.until("the child is listed", () -> p.out().matches("(?s).*\\s" + pid + "\\s+\\w{12}\\s+READY\\s+2\\s.*"),
                    p::describe);
            p.typeUntil("tramp:children\n", "Spare JVM"); // started a little after that child was ready

            p.type("tramp:spawn 1\n");
            Eventually.until("the standby count is set", () -> p.out().contains("Keeping 1 standby"), p::describe);
            p.typeUntil("tramp:children\n", "STANDBY"); // listed as STARTING until it is up

            p.type("tramp:bundleset\n");
            Eventually.until("the bundle set is listed", () -> p.out().contains("dev.trampoline.examples.primes"),
                    p::describe);
            assertTrue(p.out().matches("(?s).*org\\.apache\\.felix\\.gogo\\.jline .* ACTIVE +install: started in the"
                    + " parent for this run only \\(transiently\\)\n.*"), "the shell's own bundle, told apart:\n"
                    + p.out());

            p.type("tramp:kill " + pid + "\n");
            Eventually.until("the kill is confirmed", () -> p.out().contains("Killed child " + pid), p::describe);
            Eventually.until("the child is gone", () -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true),
                    p::describe);

            p.type("tramp:call --timeout 300 dev.trampoline.examples.primes.Primes countBelow 100000000000\n");
            Eventually.until("the timeout is reported", () -> p.err().contains("did not finish within 300 ms"),
                    p::describe);
            p.type("tramp:kill 1\n");
            Eventually.until("an unknown pid is an error", () -> p.err().contains("No child with pid 1"), p::describe);

            deploy(Examples.jobsJar(), "jobs.jar"); // the standby child follows the new bundle set in place
            p.typeUntil("tramp:children -v\n", "moved in place to a new bundle set 1 time");

            p.type("stop 0\n"); // with a standby child still up: shutting down reports no error
            // Two lines failed on purpose (the time limit, the unknown pid): a piped run says so in its status.
            assertEquals(1, p.exitCode(), p.describe());
            // (its line number depends on how often tramp:children was typed until it showed what it waited for)
            assertTrue(p.err().matches("(?s).*2 command lines failed, the first on line \\d+: tramp:call --timeout 300.*"),
                    p.describe());
            assertFalse(p.describe().contains("FrameworkEvent ERROR"), p.describe());
        }
    }

    @Test
    void killingTheParentWhileItsChildrenStartLeavesNoneBehind() throws Exception {
        deploy(Examples.greeterJar(), "greeter.jar");
        LauncherProcess parent = LauncherProcess.start(work);
        try {
            parent.type("tramp:call dev.trampoline.examples.greeter.Greeter greet Early\n");
            // Children (the one for the call, and the one making the class-data archive) are still booting.
            // Seen once it runs as a JVM (before that it may still be the JDK's spawn helper).
            Eventually.until("children are starting", () -> parent.process().descendants()
                    .anyMatch(c -> storageOf(c).isPresent()), parent::describe);
            java.util.List<ProcessHandle> children = parent.process().descendants().toList();
            java.util.List<Path> folders = children.stream().map(RemoteShellTest::storageOf)
                    .flatMap(java.util.Optional::stream).toList();

            parent.process().destroyForcibly();
            parent.awaitExit();

            for (ProcessHandle child : children) {
                Eventually.until("child " + child.pid() + " exited", () -> !child.isAlive());
            }
            // Nobody else would delete them: the parent died, so each child deletes its own on the way out,
            // even one that was still installing or starting bundles into it.
            for (Path folder : folders) {
                assertFalse(Files.exists(folder), folder + " was left behind");
            }
        } finally {
            parent.close();
        }
    }

    /** The folder a child JVM was started with ({@code --storage}), read from its command line. */
    private static java.util.Optional<Path> storageOf(ProcessHandle child) {
        String[] args = child.info().arguments().orElse(new String[0]);
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--storage")) {
                return java.util.Optional.of(Path.of(args[i + 1]));
            }
        }
        return java.util.Optional.empty();
    }

    @Test
    void killingTheParentLeavesNoChildBehind() throws Exception {
        deploy(Examples.greeterJar(), "greeter.jar");
        LauncherProcess parent = LauncherProcess.start(work);
        try {
            parent.type("tramp:call dev.trampoline.examples.greeter.Greeter greet Orphan\n");
            Eventually.until("the call answered", () -> parent.out().contains("(computed by child pid"), parent::describe);
            long child = Long.parseLong(parent.out().replaceAll("(?s).*computed by child pid (\\d+).*", "$1"));
            assertTrue(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false));
            Path folder = ProcessHandle.of(child).flatMap(RemoteShellTest::storageOf).orElseThrow();

            parent.process().destroyForcibly(); // SIGKILL: no shutdown hook runs
            parent.awaitExit();

            Eventually.until("the child noticed its channel closed and exited",
                    () -> ProcessHandle.of(child).map(h -> !h.isAlive()).orElse(true));
            assertFalse(Files.exists(folder), folder + " was left behind");
        } finally {
            parent.close();
        }
    }
}
