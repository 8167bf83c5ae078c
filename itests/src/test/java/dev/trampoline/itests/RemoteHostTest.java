package dev.trampoline.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Children on another host over a real OpenSSH server ({@link SshHost}: 127.0.0.1, throwaway keys, another user
 * when the tests run as root, whose home is the host's): the runtime is the real launcher, the calls the shell's.
 */
class RemoteHostTest {

    private static SshHost host;

    @TempDir
    Path work;
    /** The host's work folder, one per test, relative to the remote user's home. */
    private final String remoteWork = "tramp-it-" + UUID.randomUUID();

    @BeforeAll
    static void startHost() throws Exception {
        SshHost.assumeAvailable();
        host = SshHost.start();
    }

    /** The host's home is shared by every run: each test leaves nothing there. */
    @AfterEach
    void removeRemoteWork() throws Exception {
        if (host != null) {
            host.run("rm", "-rf", remoteWork, remoteWork + "-refusing-java", remoteWork + "-flooding-java")
                    .waitFor();
        }
    }

    @AfterAll
    static void stopHost() throws Exception {
        if (host != null) {
            host.close();
        }
    }

    private Path deploy() throws IOException {
        return Files.createDirectories(work.resolve("deploy"));
    }

    /** The hosts configuration, dropped in the deploy folder, with {@code h1} the test's sshd. */
    private void hosts(String more) throws IOException {
        Files.writeString(deploy().resolve("dev.trampoline.remote.hosts.cfg"), "h1.address = " + host.alias()
                + "\nh1.sshConfig = " + host.sshConfig() + "\nh1.work = " + remoteWork + "\nh1.slots = 2\n" + more);
    }

    private Path remote(String path) {
        return host.remoteHome().resolve(remoteWork).resolve(path);
    }

    private static Set<String> jarNames(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar"))
                    .collect(Collectors.toSet());
        }
    }

    /** The content store of the runtime in {@code work} (the remote bundle's data folder). */
    private Path parentStore() throws IOException {
        try (Stream<Path> paths = Files.walk(work.resolve(".trampoline"))) {
            return paths.filter(p -> p.getFileName().toString().equals("snapshots")).findFirst().orElseThrow()
                    .getParent();
        }
    }

    /** The remote children of this test's work folder now running (the host is this machine). */
    private List<ProcessHandle> remoteChildren() {
        return RemoteChildren.running(remoteWork);
    }

    /** The pid of the ssh client of the child that computed the last call on {@code host}, as the shell said. */
    private static long pidIn(String out, String host) {
        return RemoteChildren.lastPidIn(out, host);
    }

    @Test
    void aHotDeployedPluginRunsOnTheHostWithItsBundlesAndConfigurationsSentOverTheChannel() throws Exception {
        Files.copy(Examples.greeterJar(), deploy().resolve("greeter.jar"));
        Files.writeString(deploy().resolve("dev.trampoline.examples.greeter.cfg"), "greeting = Bonjour\n");
        hosts("");

        TestBundle.named("test.property", "1.0.0").activatorSupplying("c.getProperty(\"test.fidelity\")")
                .writeTo(deploy().resolve("property.jar"));
        Object launcherCopied;
        try (LauncherProcess p = LauncherProcess.start(work, "-Dtest.fidelity=as in the parent")) {
            p.type("tramp:call --host h1 Greeter greet World\n");
            Eventually.until("the call answered", () -> p.out().contains("Bonjour, World!"), p::describe);
            long sshPid = pidIn(p.out(), "h1");
            assertTrue(sshPid > 0, p.describe());

            // The host's store holds exactly the parent's bundles, which it received: its user cannot read ours.
            Path store = parentStore();
            Set<String> shipped = jarNames(remote("store"));
            assertTrue(shipped.containsAll(jarNames(store)) && !shipped.isEmpty(), shipped + " vs " + store);
            if (!host.user().equals(System.getProperty("user.name"))) {
                Process read = new ProcessBuilder(host.ssh("test", "-r", store.toString())).start();
                assertNotEquals(0, read.waitFor(), "the host's user cannot read the parent's store");
            }
            Set<String> launchers = jarNames(remote("launcher"));
            assertEquals(1, launchers.size(), launchers.toString());
            // Its inode: a copy is a new file renamed into place (a contact touches the jar it finds).
            launcherCopied = Files.readAttributes(remote("launcher").resolve(launchers.iterator().next()),
                    BasicFileAttributes.class).fileKey();
            p.type("tramp:call --host h1 '(test.name=test.property)' get\n"); // a framework property
            Eventually.until("the property call answered", () -> p.out().contains("as in the parent\n"), p::describe);
            p.typeUntil("tramp:children\n", "  h1\n");
            p.typeUntil("tramp:hosts\n", "CONNECTED (");

            // A plugin deployed now, then updated: each version answers on the host.
            TestBundle.supplier("test.answer", "1.0.0", "first answer").writeTo(deploy().resolve("answer.jar"));
            p.typeUntil("tramp:call --host h1 '(test.name=test.answer)' get\n", "first answer");
            TestBundle.supplier("test.answer", "1.0.1", "second answer").writeTo(deploy().resolve("answer.jar"));
            Eventually.until("the updated plugin answers on the host", () -> {
                try {
                    p.type("tramp:call --host h1 '(test.name=test.answer)' get\n");
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                return p.out().contains("second answer");
            }, p::describe);

            // Killing the ssh client ends the remote child: its channel closes.
            assertFalse(remoteChildren().isEmpty(), "a remote child runs");
            long latest = pidIn(p.out(), "h1");
            p.typeUntil("tramp:kill " + latest + "\n", "Killed child " + latest);
            Eventually.until("no remote child is left", () -> remoteChildren().isEmpty(),
                    () -> remoteChildren().toString());
        }

        // A runtime started again reuses the launcher jar on the host: it is not copied again. It removes what a
        // child killed with its parent left there (made by the host's user, as a child would have).
        Process leftover = host.run("sh", "-c", "'d=" + remoteWork + "/children/childdead;"
                + " mkdir -p $d/cache && echo 2147483646 > $d/pid'");
        assertEquals(0, leftover.waitFor());
        try (LauncherProcess p = LauncherProcess.start(work)) {
            p.type("tramp:call --host h1 Greeter greet Again\n");
            Eventually.until("the call answered", () -> p.out().contains("Bonjour, Again!"), p::describe);
            assertTrue(p.err().contains("removed the folders of 1 children that died there"), p.describe());
            assertFalse(Files.exists(remote("children/childdead")));
            Set<String> launchers = jarNames(remote("launcher"));
            assertEquals(1, launchers.size(), launchers.toString());
            assertEquals(launcherCopied, Files.readAttributes(remote("launcher").resolve(launchers.iterator().next()),
                    BasicFileAttributes.class).fileKey(), "the launcher jar was not copied again");
            assertFalse(p.err().contains("copied the launcher jar"), p.describe());
        }
        Eventually.until("the runtime's exit ended its remote children", () -> remoteChildren().isEmpty(),
                () -> remoteChildren().toString());
        try (Stream<Path> left = Files.list(remote("children"))) {
            assertEquals(List.of(), left.toList(), "each remote child deleted its private folder");
        }
    }

    @Test
    void aRemoteChildCutOffFromItsParentExitsByMissedHeartbeatsAndTheNextCallGetsANewOne() throws Exception {
        Files.copy(Examples.greeterJar(), deploy().resolve("greeter.jar"));
        hosts("");

        try (LauncherProcess p = LauncherProcess.start(work)) {
            p.type("tramp:call --host h1 Greeter greet Before\n");
            Eventually.until("the call answered", () -> p.out().contains("Hello, Before!"), p::describe);
            long sshPid = pidIn(p.out(), "h1");
            assertFalse(remoteChildren().isEmpty(), "a remote child runs");

            // The ssh client stopped: the connection stays open and nothing more reaches the child, as in a
            // partition that TCP does not notice.
            assertEquals(0, new ProcessBuilder("kill", "-STOP", Long.toString(sshPid)).start().waitFor());
            try {
                Eventually.until("the cut-off child exited", () -> remoteChildren().isEmpty(),
                        () -> remoteChildren().toString());
            } finally {
                new ProcessBuilder("kill", "-CONT", Long.toString(sshPid)).start().waitFor();
            }
            // What it wrote to stderr meanwhile reaches the parent once the client goes on, and the parent then
            // sees the child's end (before that, a call could still be sent to it).
            Eventually.until("the child's reason reached the parent's log",
                    () -> p.err().contains("trampoline child: no heartbeat from the parent for"), p::describe);
            Eventually.until("the parent saw the child end",
                    () -> p.err().contains("Child JVM (pid " + sshPid + ") exited"), p::describe);
            p.type("tramp:call --host h1 Greeter greet After\n");
            Eventually.until("a new child answered", () -> p.out().contains("Hello, After!"), p::describe);
            assertNotEquals(sshPid, pidIn(p.out(), "h1"));
        }
    }

    @Test
    void aCallThatNamesNoHostRunsOnAHostOnlyWhileThisMachineHasNoFreeChild() throws Exception {
        Files.copy(Examples.greeterJar(), deploy().resolve("greeter.jar"));
        Path release = work.resolve("release");
        TestBundle.named("test.held", "1.0.0")
                .source("held.Wait", "package held;\npublic final class Wait {\n"
                        + "  public static String until(String file) {\n"
                        + "    while (!java.nio.file.Files.exists(java.nio.file.Path.of(file))) {\n"
                        + "      try { Thread.sleep(5); } catch (InterruptedException e) { return \"interrupted\"; }\n"
                        + "    }\n    return \"released\";\n  }\n}\n")
                .activatorSupplying("held.Wait.until(\"" + release + "\")").writeTo(deploy().resolve("held.jar"));
        hosts(""); // the default placement: local first

        // One child at most here, and no training child that could take its place.
        try (LauncherProcess p = LauncherProcess.start(work, "-Dtrampoline.pool.maxChildren=1",
                "-Dtrampoline.child.cds=false")) {
            p.typeUntil("tramp:hosts\n", "CONNECTED ("); // contacted ahead: calls that name no host may go there
            p.typeUntil("tramp:call Greeter greet Here\n", "Hello, Here!");
            assertTrue(pidIn(p.out(), "h1") < 0, "a free child here takes it: " + p.describe());

            p.type("(tramp:call '(test.name=test.held)' get) &\n"); // holds this machine's one child
            localChildUntil(p, 1);
            p.type("tramp:call Greeter greet Spilled\n");
            Eventually.until("the call answered", () -> p.out().contains("Hello, Spilled!"), p::describe);
            assertTrue(pidIn(p.out(), "h1") > 0, "no free child here: the host with a free slot ran it: "
                    + p.describe());

            Files.writeString(release, "go");
            localChildUntil(p, 0);
            long onHost = pidIn(p.out(), "h1");
            p.typeUntil("tramp:call Greeter greet Back\n", "Hello, Back!");
            assertEquals(onHost, pidIn(p.out(), "h1"), "free again here: the next call stays: " + p.describe());
        }
    }

    @Test
    void aBulkCallThatNamesNoHostSpreadsItsChunksOverThisMachineAndTheConnectedHosts() throws Exception {
        Path out = work.resolve("bulk-pids");
        hosts("");
        // Its activator, in the parent only, maps 30 inputs over its own service, one input per chunk, with the
        // default parallelism: this machine's one child and the host's 2 slots. Each input answers its JVM's pid.
        String r = "dev.trampoline.runtime.remote.";
        TestBundle bulk = TestBundle.named("test.bulk", "1.0.0")
                .importing("org.osgi.framework,org.osgi.util.promise," + r.substring(0, r.length() - 1))
                .header("Bundle-Activator", "bulk.Activator")
                .source("bulk.Activator", "package bulk;\n"
                        + "public final class Activator implements org.osgi.framework.BundleActivator {\n"
                        + "  public void start(org.osgi.framework.BundleContext c) {\n"
                        + "    java.util.Hashtable<String, Object> p = new java.util.Hashtable<>();\n"
                        + "    p.put(\"test.name\", \"test.bulk\");\n"
                        + "    java.util.function.Supplier<String> s = () -> \"bulk\";\n"
                        + "    org.osgi.framework.ServiceReference<?> ref = c.registerService("
                        + "java.util.function.Supplier.class, s, p).getReference();\n"
                        + "    if (c.getProperty(\"trampoline.child\") != null) return;\n"
                        + "    " + r + "RemoteExecutor ex = c.getService(c.getServiceReference(" + r
                        + "RemoteExecutor.class));\n"
                        + "    new Thread(() -> {\n"
                        + "      java.nio.file.Path to = java.nio.file.Path.of(c.getProperty(\"test.bulk.out\"));\n"
                        + "      StringBuilder b = new StringBuilder();\n"
                        + "      try {\n"
                        + "        while (c.getBundle().getState() != org.osgi.framework.Bundle.ACTIVE) Thread.sleep(5);\n"
                        + "        " + r + "RemoteMapper<Object, Integer, Long> pid = (x, i) -> ProcessHandle.current().pid();\n"
                        + "        for (" + r + "Outcome<Long> o : ex.map((org.osgi.framework.ServiceReference<Object>) ref,"
                        + " pid, java.util.stream.IntStream.range(0, 30).boxed().toList(), " + r
                        + "BulkOptions.DEFAULT.withChunkSize(1)).getValue()) b.append(o.orElseThrow()).append('\\n');\n"
                        + "      } catch (Throwable e) { b.append(e); }\n"
                        + "      try {\n"
                        + "        java.nio.file.Files.writeString(to.resolveSibling(\"tmp\"), b);\n"
                        + "        java.nio.file.Files.move(to.resolveSibling(\"tmp\"), to);\n"
                        + "      } catch (java.io.IOException e) { throw new java.io.UncheckedIOException(e); }\n"
                        + "    }).start();\n"
                        + "  }\n"
                        + "  public void stop(org.osgi.framework.BundleContext c) { }\n"
                        + "}\n");

        try (LauncherProcess p = LauncherProcess.start(work, "-Dtrampoline.pool.maxChildren=1",
                "-Dtrampoline.child.cds=false", "-Dtest.bulk.out=" + out)) {
            p.typeUntil("tramp:hosts\n", "CONNECTED ("); // the bulk call starts once the host is known to answer
            bulk.writeTo(deploy().resolve("bulk.jar"));
            Eventually.until("the bulk call answered", () -> Files.exists(out), p::describe);
            List<String> pids = Files.readAllLines(out);
            assertEquals(30, pids.size(), pids.toString());
            Set<String> remote = remoteChildren().stream().map(h -> Long.toString(h.pid()))
                    .collect(Collectors.toSet());
            Set<String> used = Set.copyOf(pids);
            assertTrue(used.stream().anyMatch(remote::contains), "chunks ran on the host: " + used + " vs "
                    + remote + "\n" + p.describe());
            assertTrue(used.stream().anyMatch(pid -> !remote.contains(pid)), "chunks ran here too: " + used);
            assertTrue(used.size() <= 3, "no more children than the parallelism: " + used);
        }
    }

    /** Types {@code tramp:children} until this machine's child is listed with {@code inFlight} calls running. */
    private static void localChildUntil(LauncherProcess p, int inFlight) throws Exception {
        java.util.regex.Pattern row = java.util.regex.Pattern.compile("(?m)^ +\\d+ +\\w+ +READY +\\d+ +" + inFlight
                + " .* local$");
        for (int i = 0; i < 300; i++) {
            int from = p.out().length();
            p.type("tramp:children\n");
            Thread.sleep(200); // how often to ask, not how long it takes: it asks until it is so
            if (row.matcher(p.out().substring(from)).find()) {
                return;
            }
        }
        throw new AssertionError("the local child never ran " + inFlight + " call(s): " + p.describe());
    }

    @Test
    void aChangedHostKeyAndAClosedPortEachSayWhyWhileLocalCallsGoOn() throws Exception {
        Files.copy(Examples.greeterJar(), deploy().resolve("greeter.jar"));
        Path wrongKey = host.writeVariant(host.clientConfig().withKnownHosts(host.knownHostsWithWrongKey()));
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        hosts("h1.labels = fast\nimpostor.address = " + host.alias() + "\nimpostor.sshConfig = " + wrongKey
                + "\ndown.address = 127.0.0.1\ndown.port = " + closedPort + "\n");

        try (LauncherProcess p = LauncherProcess.start(work)) {
            p.type("tramp:call --host impostor Greeter greet X\n");
            Eventually.until("the impostor's call failed", () -> p.err().contains("host impostor cannot be reached"),
                    p::describe);
            assertTrue(p.err().contains("ssh exited with 255") && p.err().contains("Host key verification failed"),
                    p.describe());

            p.type("tramp:call --host down Greeter greet X\n");
            Eventually.until("the closed port's call failed", () -> p.err().contains("host down cannot be reached"),
                    p::describe);
            assertTrue(p.err().matches("(?s).*host down cannot be reached: ssh exited with 255: .*Connection refused.*"),
                    p.describe());
            assertTrue(p.err().contains("(try 'ssh -p " + closedPort + " 127.0.0.1 true' here"), p.describe());
            assertFalse(p.err().contains("while running"), "no call ran: " + p.describe());

            p.typeUntil("tramp:call Greeter greet Local\n", "Hello, Local!");
            p.type("tramp:call --host fast Greeter greet Labelled\n"); // h1's label
            Eventually.until("the labelled host answered", () -> p.out().contains("Hello, Labelled!"), p::describe);
            assertTrue(pidIn(p.out(), "h1") > 0, "the host the label chose is named: " + p.describe());
            p.typeUntil("tramp:hosts\n", "down (127.0.0.1:" + closedPort + ", 1 slot): UNREACHABLE: host down");
            assertTrue(p.out().contains("impostor (" + host.alias() + ", 1 slot): UNREACHABLE"), p.describe());
            p.type("tramp:call --host no-such-host Greeter greet X\n");
            Eventually.until("an unknown host's call failed",
                    () -> p.err().contains("No host named or labelled 'no-such-host'"), p::describe);
        }
    }

    /**
     * A java on the host (a script here) that answers {@code -version} as the real one does, then fails a child's
     * start after printing {@code before} and {@code said} on stderr: its path, executable by the host's user.
     */
    private String failingJava(String name, String before, String said, int exit) throws IOException {
        Path script = host.remoteHome().resolve(remoteWork + "-" + name + "-java");
        Files.writeString(script, "#!/bin/sh\n"
                + "if [ \"$1\" = -version ]; then exec java -version; fi\n"
                + before + "\necho '" + said + "' >&2\nexit " + exit + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script.toString();
    }

    @Test
    void aChildWhoseBootFailsOnTheHostSaysWhatTheHostSaidWhileLocalCallsGoOn() throws Exception {
        Files.copy(Examples.greeterJar(), deploy().resolve("greeter.jar"));
        String refusing = failingJava("refusing", "", "tramp-it: this java refuses to start a child", 3);
        // More on stderr than the pipe and ssh's channel window hold: unread, it would block the host's side.
        String flooding = failingJava("flooding", "yes 'tramp-it: noise from the host' | head -n 100000 >&2",
                "tramp-it: the flood is over", 4);
        hosts("refusing.address = " + host.alias() + "\nrefusing.sshConfig = " + host.sshConfig()
                + "\nrefusing.work = " + remoteWork + "\nrefusing.java = " + refusing
                + "\nflooding.address = " + host.alias() + "\nflooding.sshConfig = " + host.sshConfig()
                + "\nflooding.work = " + remoteWork + "\nflooding.java = " + flooding + "\n");

        try (LauncherProcess p = LauncherProcess.start(work)) {
            p.type("tramp:call --host refusing Greeter greet X\n");
            Eventually.until("the refused call failed",
                    () -> p.err().contains("tramp:call --host refusing Greeter greet X: "), p::describe);
            assertTrue(p.err().matches("(?s).*host refusing: the child did not start: ssh exited with 3 .*"
                    + "its last output on stderr:\ntramp-it: this java refuses to start a child.*"), p.describe());

            p.type("tramp:call --host flooding Greeter greet X\n");
            Eventually.until("the flooded call failed",
                    () -> p.err().contains("tramp:call --host flooding Greeter greet X: "), p::describe);
            assertTrue(p.err().matches("(?s).*host flooding: the child did not start: ssh exited with 4 .*"
                    + "its last output on stderr:\n(tramp-it: noise from the host\n)+.*"), p.describe());
            // Not its very last line: of 3 MB written as ssh exits, the last few hundred lines were seen lost.

            p.typeUntil("tramp:call Greeter greet Local\n", "Hello, Local!");
            p.type("tramp:call --host h1 Greeter greet There\n");
            Eventually.until("the good host answered", () -> p.out().contains("Hello, There!"), p::describe);
        }
    }

    @Test
    void theHostsCommandShowsTheMedianRoundTripOfTheHostsWarmCallsBesideItsContact() throws Exception {
        Files.copy(Examples.greeterJar(), deploy().resolve("greeter.jar"));
        hosts("");

        try (LauncherProcess p = LauncherProcess.start(work)) {
            p.typeUntil("tramp:hosts\n", "h1 (" + host.alias() + ", 2 slots): NOT CONTACTED; 0 children;"
                    + " call round trip -\n");
            for (int i = 1; i <= 5; i++) { // one after the other: the first child takes each (a slot is free)
                String greeting = "Hello, Call" + i + "!";
                p.type("tramp:call --host h1 Greeter greet Call" + i + "\n");
                Eventually.until("call " + i + " answered", () -> p.out().contains(greeting), p::describe);
            }
            p.type("tramp:call Greeter greet Local\n"); // this machine's calls are not the host's
            Eventually.until("the local call answered", () -> p.out().contains("Hello, Local!"), p::describe);

            Pattern line = Pattern.compile("h1 \\(" + Pattern.quote(host.alias()) + ", 2 slots\\): CONNECTED"
                    + " \\([^)]*version[^)]*\\); \\d+ child(?:ren)?; call round trip \\d+(\\.\\d)? ms"
                    + " \\(median of the last (\\d+) warm calls\\); contact \\d+ ms \\(login, java -version\\)");
            p.type("tramp:hosts\n");
            Eventually.until("tramp:hosts showed the round trip", () -> line.matcher(p.out()).find(), p::describe);
            Matcher m = line.matcher(p.out());
            assertTrue(m.find());
            // A child's first call is not warm: four of the five, three if a second child took one.
            int warm = Integer.parseInt(m.group(2));
            assertTrue(warm >= 3 && warm <= 4, m.group());
            System.out.println("tramp:hosts after five calls: " + m.group());
        }
    }
}
