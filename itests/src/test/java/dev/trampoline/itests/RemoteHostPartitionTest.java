package dev.trampoline.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A network partition between the parent and a host: the host is a real sshd in a network namespace of its own
 * ({@link SshHost#startInNamespace()}), a second host with its own address, whose link the test cuts. The runtime
 * is the real launcher, the calls the shell's.
 */
class RemoteHostPartitionTest {

    private static SshHost host;

    @TempDir
    Path work;
    /** The host's work folder, relative to the remote user's home (shared with the other SSH tests). */
    private final String remoteWork = "tramp-it-" + UUID.randomUUID();

    @BeforeAll
    static void startHost() throws Exception {
        SshHost.assumeNamespaceAvailable();
        host = SshHost.startInNamespace();
    }

    /** The link is up again, even after a failure, and the host's home keeps nothing of this test. */
    @AfterEach
    void restoreLinkAndRemoveRemoteWork() throws Exception {
        if (host != null) {
            host.restore();
            host.run("rm", "-rf", remoteWork).waitFor();
        }
    }

    @AfterAll
    static void stopHost() throws Exception {
        if (host != null) {
            host.close();
        }
    }

    @Test
    void aCutLinkEndsTheRemoteChildByMissedHeartbeatsWhileLocalCallsGoOnAndTheRestoredLinkServesAgain()
            throws Exception {
        Path deploy = Files.createDirectories(work.resolve("deploy"));
        Files.copy(Examples.greeterJar(), deploy.resolve("greeter.jar"));
        Files.writeString(deploy.resolve("dev.trampoline.remote.hosts.cfg"), "h2.address = " + host.alias()
                + "\nh2.sshConfig = " + host.sshConfig() + "\nh2.work = " + remoteWork + "\nh2.slots = 1\n");

        try (LauncherProcess p = LauncherProcess.start(work)) {
            p.type("tramp:call --host h2 Greeter greet Before\n");
            Eventually.until("the host's child answered", () -> p.out().contains("Hello, Before!"), p::describe);
            long sshPid = RemoteChildren.lastPidIn(p.out(), "h2");
            List<ProcessHandle> children = RemoteChildren.running(remoteWork);
            assertEquals(1, children.size(), children + "\n" + p.describe());
            ProcessHandle child = children.get(0);
            List<ProcessHandle> sessions = sshdBetween(host.server(), child);
            assertFalse(sessions.isEmpty(), "the child runs under the namespace's sshd");

            host.cut();
            Eventually.until("the cut-off child exited", () -> !child.isAlive(), p::describe);
            // Nothing closed its channel (the sshd processes carrying it still run, waiting for the silent client):
            // the child ended on its own, when no heartbeat came from its parent.
            assertEquals(sessions, sessions.stream().filter(ProcessHandle::isAlive).toList(),
                    "the child's sshd session ended: its channel may have closed");

            p.type("tramp:call Greeter greet Local\n");
            Eventually.until("a local child answered", () -> p.out().contains("Hello, Local!"), p::describe);
            // The parent's ssh client gives up on the silent connection (ServerAliveCountMax): the pool says so.
            Eventually.until("the parent reported its remote child dead",
                    () -> p.err().contains("Child JVM (pid " + sshPid + ") exited with status 255"), p::describe);

            host.restore();
            p.type("tramp:call --host h2 Greeter greet After\n");
            Eventually.until("a new child on the host answered", () -> p.out().contains("Hello, After!"),
                    p::describe);
            long after = RemoteChildren.lastPidIn(p.out(), "h2");
            assertTrue(after > 0 && after != sshPid, p.describe());
            assertNotEquals(List.of(child), RemoteChildren.running(remoteWork));
        }
    }

    /** The sshd processes from {@code server} (excluded) down to {@code process}: those carrying its session. */
    private static List<ProcessHandle> sshdBetween(ProcessHandle server, ProcessHandle process) {
        List<ProcessHandle> sessions = new ArrayList<>();
        for (Optional<ProcessHandle> up = process.parent(); up.isPresent() && !up.get().equals(server);
                up = up.get().parent()) {
            if (up.get().info().command().orElse("").endsWith("sshd")) {
                sessions.add(up.get());
            }
        }
        return sessions;
    }
}
