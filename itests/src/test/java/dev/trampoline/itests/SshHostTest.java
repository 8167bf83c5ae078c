package dev.trampoline.itests;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fixture the SSH tests stand on ({@link SshHost}) does what they assume of it, with the real OpenSSH. */
class SshHostTest {

    /** Per test, not per class: surefire then counts each as skipped, with the reason. */
    @BeforeEach
    void needsSshd() {
        SshHost.assumeAvailable();
    }

    @Test
    void aLoginLandsAsTheHostsUserInItsHome() throws Exception {
        try (SshHost host = SshHost.start()) {
            CommandRun login = CommandRun.of(host.ssh("id -un; pwd"));

            assertEquals(0, login.exitCode(), login.describe());
            assertEquals(host.user() + "\n" + host.remoteHome() + "\n", login.out(), login.describe());
            if (SshUser.runningAsRoot()) {
                assertEquals(SshUser.REMOTE_USER, host.user());
            }
        }
    }

    @Test
    void withoutTheThrowawayUserKeyTheLoginIsRefused() throws Exception {
        try (SshHost host = SshHost.start()) {
            Path config = host.writeVariant(host.clientConfig().withoutIdentity());

            CommandRun login = CommandRun.of(host.ssh(config, "true"));

            assertEquals(255, login.exitCode(), login.describe());
            assertTrue(login.err().contains("Permission denied (publickey)"), login.describe());
        }
    }

    @Test
    void aChangedHostKeyIsRefusedWithSshsOwnMessage() throws Exception {
        try (SshHost host = SshHost.start()) {
            Path config = host.writeVariant(host.clientConfig().withKnownHosts(host.knownHostsWithWrongKey()));

            CommandRun login = CommandRun.of(host.ssh(config, "true"));

            assertEquals(255, login.exitCode(), login.describe());
            assertTrue(login.err().contains("Host key verification failed"), login.describe());
        }
    }

    @Test
    void closeEndsSshdItsSessionsAndWhatTheyRanAndDeletesItsFiles(@TempDir Path temp) throws Exception {
        SshHost host = SshHost.start();
        Path stderr = temp.resolve("ssh.err");
        Process client = new ProcessBuilder(host.ssh("echo up; exec sleep 600"))
                .redirectError(stderr.toFile()).start();
        try {
            BufferedReader out = new BufferedReader(
                    new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("up", out.readLine(), () -> "ssh: " + read(stderr) + "\nsshd: " + host.log());
            // sshd's process for the connection, the session's, and the user's command (the sleep).
            List<ProcessHandle> started = host.server().descendants().toList();
            assertTrue(started.size() >= 2, () -> "sshd's descendants: " + started);
            Path folder = host.sshConfig().getParent();

            host.close();

            assertAll(
                    () -> assertFalse(host.server().isAlive(), "sshd"),
                    () -> assertEquals(List.of(), started.stream().filter(ProcessHandle::isAlive).toList()),
                    () -> assertFalse(Files.exists(folder), folder + " remains"),
                    () -> assertTrue(client.waitFor(Eventually.DEFAULT.toSeconds(), TimeUnit.SECONDS)),
                    () -> assertNotEquals(0, client.exitValue()));
        } finally {
            client.destroyForcibly();
            host.close();
        }
    }

    @Test
    void inANamespaceItListensOnItsOwnAddressAndCloseLeavesNoNamespaceVethOrProcess() throws Exception {
        SshHost.assumeNamespaceAvailable();
        SshHost host = SshHost.startInNamespace();
        try {
            NetworkNamespace namespace = host.namespace();
            CommandRun login = CommandRun.of(host.ssh("echo $SSH_CONNECTION"));
            // "client-address client-port server-address server-port": the client came over the veth.
            String[] connection = login.out().strip().split(" ");
            assertEquals(4, connection.length, login.describe());
            assertEquals(host.address() + " 22", connection[2] + " " + connection[3], login.describe());
            assertNotEquals("127.0.0.1", host.address());
            List<ProcessHandle> inside = namespace.processes();
            assertTrue(inside.contains(host.server()), () -> "in the namespace: " + inside);

            host.close();

            CommandRun namespaces = CommandRun.succeeding(List.of("ip", "netns", "list"));
            CommandRun veth = CommandRun.of(List.of("ip", "link", "show", namespace.hostSide()));
            assertAll(
                    () -> assertFalse(host.server().isAlive(), "sshd"),
                    () -> assertEquals(List.of(), inside.stream().filter(ProcessHandle::isAlive).toList()),
                    () -> assertFalse(namespaces.out().contains(namespace.name()), namespaces.out()),
                    () -> assertNotEquals(0, veth.exitCode(), veth.describe()));
        } finally {
            host.close();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
