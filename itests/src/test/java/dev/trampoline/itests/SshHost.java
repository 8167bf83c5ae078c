package dev.trampoline.itests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

/**
 * A real OpenSSH server for one test: {@code /usr/sbin/sshd} on 127.0.0.1 at a free port, with a throwaway host key
 * and user key, letting in one user ({@link SshUser}: another user than the test's when it runs as root) by that
 * key only, and a client config ({@link #sshConfig()}) for the system's {@code ssh} that trusts exactly that host
 * key. Everything lives in a temp folder of its own, deleted by {@link #close()}, which also ends sshd and every
 * process it started (sessions and what they ran).
 *
 * <p>{@link #startInNamespace()} starts it in a network namespace of its own instead ({@link NetworkNamespace}):
 * a second host with its own address, at port 22, whose link a test can {@link #cut()} and {@link #restore()}.
 *
 * <pre>{@code
 * assumeTrue(SshHost.available(), SshHost::unavailableReason);
 * try (SshHost host = SshHost.start()) {
 *     CommandRun id = CommandRun.of(host.ssh("id", "-un"));
 * }
 * }</pre>
 */
final class SshHost implements AutoCloseable {

    static final Path SSHD = Path.of("/usr/sbin/sshd");
    static final String ALIAS = "trampoline-sshd";

    /** Another program may take the free port before sshd binds it: that many tries. */
    private static final int PORT_ATTEMPTS = 5;
    /** A bound against a hang only: sshd listens as soon as it has read its config and key. */
    private static final Duration START_LIMIT = Eventually.DEFAULT;
    private static final String LOOPBACK = "127.0.0.1";
    /** A namespace's own address has nothing else listening: ssh's usual port. */
    private static final int PORT_IN_NAMESPACE = 22;

    private final Path folder;
    private final SshUser user;
    private final Process sshd;
    private final SshdLog log;
    private final SshClientConfig clientConfig;
    private final Path sshConfig;
    /** Where sshd runs, or null: this machine's network. */
    private final NetworkNamespace namespace;

    private SshHost(Path folder, SshUser user, Process sshd, SshdLog log, SshClientConfig clientConfig,
            NetworkNamespace namespace) throws IOException {
        this.namespace = namespace;
        this.folder = folder;
        this.user = user;
        this.sshd = sshd;
        this.log = log;
        this.clientConfig = clientConfig;
        this.sshConfig = clientConfig.writeTo(folder.resolve("ssh_config"));
    }

    /** Whether a test can start one here: sshd and the ssh tools installed and a user who may log in. */
    static boolean available() {
        return unavailableReasonIfAny().isEmpty();
    }

    /** Why {@link #available()} is false, for {@code Assumptions.assumeTrue(available(), ...)}. */
    static String unavailableReason() {
        return unavailableReasonIfAny().orElse("an SSH host is available");
    }

    /** Skips the calling test, saying why, unless {@link #available()}. */
    static void assumeAvailable() {
        Assumptions.assumeTrue(available(), SshHost::unavailableReason);
    }

    private static Optional<String> unavailableReasonIfAny() {
        if (!Files.isExecutable(SSHD)) {
            return Optional.of("no " + SSHD + " (Debian's openssh-server package): SSH tests skipped");
        }
        for (String tool : List.of("ssh", "ssh-keygen", "getent")) {
            if (!SshUser.onPath(tool)) {
                return Optional.of("no " + tool + " on the PATH: SSH tests skipped");
            }
        }
        return SshUser.unavailableReason().map(reason -> reason + ": SSH tests skipped");
    }

    /** Skips the calling test, saying why, unless {@link #available()} and a network namespace can be made. */
    static void assumeNamespaceAvailable() {
        assumeAvailable();
        Optional<String> reason = NetworkNamespace.unavailableReason();
        Assumptions.assumeTrue(reason.isEmpty(), () -> reason.orElseThrow() + ": SSH partition tests skipped");
    }

    /**
     * Starts sshd on 127.0.0.1 and returns once a login with {@link #ssh} worked; fails with sshd's log if it ends
     * or never listens.
     */
    static SshHost start() throws IOException, InterruptedException {
        return start(null);
    }

    /** {@link #start()}, but in a new network namespace, on its own address ({@link #address()}) at port 22. */
    static SshHost startInNamespace() throws IOException, InterruptedException {
        NetworkNamespace namespace = NetworkNamespace.create();
        try {
            return start(namespace);
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            namespace.close();
            throw e;
        }
    }

    private static SshHost start(NetworkNamespace namespace) throws IOException, InterruptedException {
        SshUser user = SshUser.forTests();
        String address = namespace == null ? LOOPBACK : namespace.insideAddress();
        // The user sshd lets in reads authorized_keys here itself: the folder is 0711 (no listing), the keys 0600.
        Path folder = Files.createTempDirectory("trampoline-sshd-");
        try {
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx--x--x"));
            SshKeyPair hostKey = SshKeyPair.generate(folder.resolve("host_key"));
            SshKeyPair userKey = SshKeyPair.generate(folder.resolve("user_key"));
            Path authorizedKeys = Files.writeString(folder.resolve("authorized_keys"), userKey.publicLine() + "\n");
            Files.setPosixFilePermissions(authorizedKeys, PosixFilePermissions.fromString("rw-r--r--"));
            if (SshUser.runningAsRoot()) {
                // Its privilege separation folder, which only the openssh-server package's service makes.
                Files.createDirectories(Path.of("/run/sshd"));
            }
            StringBuilder failures = new StringBuilder();
            for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
                int port = namespace == null ? freePort() : PORT_IN_NAMESPACE;
                Path config = SshdConfig.write(folder.resolve("sshd_config"), address, port, hostKey.privateKey(),
                        authorizedKeys, user.name());
                List<String> command = List.of(SSHD.toString(), "-D", "-e", "-f", config.toString());
                Process sshd = new ProcessBuilder(namespace == null ? command : namespace.exec(command))
                        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                SshdLog log = new SshdLog(sshd, address, port);
                SshdLog.Start started = awaitStart(sshd, log);
                if (started == SshdLog.Start.LISTENING) {
                    Path knownHosts = Files.writeString(folder.resolve("known_hosts"),
                            hostKey.knownHostsLine(address, port) + "\n");
                    SshHost host = new SshHost(folder, user, sshd, log, new SshClientConfig(ALIAS, address, port,
                            user.name(), userKey.privateKey(), knownHosts), namespace);
                    try {
                        host.proveLogin("sshd listens but a login failed");
                    } catch (IOException e) {
                        host.close();
                        throw e;
                    }
                    return host;
                }
                failures.append("port ").append(port).append(": ").append(started).append('\n').append(log.text());
                if (started != SshdLog.Start.ADDRESS_IN_USE) {
                    break;
                }
            }
            throw new IOException("sshd did not start:\n" + failures);
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            deleteTree(folder);
            throw e;
        }
    }

    private static SshdLog.Start awaitStart(Process sshd, SshdLog log) throws InterruptedException, IOException {
        try {
            return log.awaitStart(START_LIMIT);
        } catch (TimeoutException e) {
            sshd.destroyForcibly().waitFor();
            throw new IOException("sshd did not listen within " + START_LIMIT.toSeconds() + " s:\n" + log.text());
        }
    }

    /** A port nothing listens on now; sshd may still lose it to another program (then it says so and ends). */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Runs {@code ssh ... true} once: a login works, else the failure says {@code what} and why. */
    private void proveLogin(String what) throws IOException, InterruptedException {
        CommandRun login = CommandRun.of(ssh("true"));
        if (login.exitCode() != 0) {
            throw new IOException(what + ": " + login.describe() + "\nsshd's log:\n" + log.text());
        }
    }

    /** The ssh client config with this host's {@code Host} block ({@link #alias()}). */
    Path sshConfig() {
        return sshConfig;
    }

    /** The settings {@link #sshConfig()} was written from, to write variants with {@link #writeVariant}. */
    SshClientConfig clientConfig() {
        return clientConfig;
    }

    /** Writes {@code variant} to a new config file in this host's folder (for tests of what fails). */
    Path writeVariant(SshClientConfig variant) throws IOException {
        return variant.writeTo(Files.createTempFile(folder, "ssh_config-", ""));
    }

    String alias() {
        return ALIAS;
    }

    int port() {
        return clientConfig.port();
    }

    /** The address sshd listens on: 127.0.0.1, or the namespace's own. */
    String address() {
        return clientConfig.hostName();
    }

    /**
     * Cuts the link to a host {@link #startInNamespace() in a namespace}: connections stay open, and what is sent
     * either way is lost without a word, as in a partition ({@link NetworkNamespace#cut()}).
     */
    void cut() throws IOException, InterruptedException {
        namespace().cut();
    }

    /** Restores the link {@link #cut()} cut, and returns once a new login works again. */
    void restore() throws IOException, InterruptedException {
        namespace().restore();
        proveLogin("the link is restored but a login failed");
    }

    /** The network namespace sshd runs in; only for a host {@link #startInNamespace() started there}. */
    NetworkNamespace namespace() {
        if (namespace == null) {
            throw new IllegalStateException("this sshd runs on 127.0.0.1, in no network namespace of its own");
        }
        return namespace;
    }

    /** The user a login lands as. */
    String user() {
        return user.name();
    }

    /** That user's home folder, where a login starts. */
    Path remoteHome() {
        return user.home();
    }

    /** sshd's log so far, for a failing test's message. */
    String log() {
        return log.text();
    }

    /** The sshd process (the listener; each session is a process it started). */
    ProcessHandle server() {
        return sshd.toHandle();
    }

    /**
     * Runs {@code remoteCommand} on the host, its output in the test's. Its standard input is /dev/null: ssh makes
     * the input it inherits non-blocking, and the test JVM's is the test runner's command pipe, whose next read
     * then fails ("std/in stream corrupted").
     */
    Process run(String... remoteCommand) throws java.io.IOException {
        return new ProcessBuilder(ssh(remoteCommand)).redirectInput(new java.io.File("/dev/null"))
                .redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /**
     * The argument array {@code ssh -F <config> -T <alias> -- <remoteCommand>}. As always with ssh, the remote
     * side joins the words with spaces and hands the line to the user's shell.
     */
    List<String> ssh(String... remoteCommand) {
        return ssh(sshConfig, remoteCommand);
    }

    /** {@link #ssh(String...)} with another client config (one of {@link #writeVariant}). */
    List<String> ssh(Path config, String... remoteCommand) {
        List<String> command = new ArrayList<>(List.of("ssh", "-F", config.toString(), "-T", ALIAS, "--"));
        command.addAll(List.of(remoteCommand));
        return command;
    }

    /**
     * A known_hosts file that names another throwaway key as this host's key (same address and port): ssh
     * must refuse to log in with it.
     */
    Path knownHostsWithWrongKey() throws IOException, InterruptedException {
        Path keys = Files.createTempDirectory(folder, "wrong-host-key-");
        SshKeyPair wrongKey = SshKeyPair.generate(keys.resolve("host_key"));
        return Files.writeString(keys.resolve("known_hosts"), wrongKey.knownHostsLine(address(), port()) + "\n");
    }

    /**
     * Ends sshd and every process it started, then deletes this host's folder; and its network namespace, with
     * whatever still runs there, if it has one.
     */
    @Override
    public void close() throws IOException, InterruptedException {
        // Taken before the listener ends: its sessions (each in a session of its own) would become init's children.
        List<ProcessHandle> started = sshd.descendants().toList();
        sshd.destroy();
        started.forEach(ProcessHandle::destroy);
        List<ProcessHandle> all = new ArrayList<>(started);
        all.add(sshd.toHandle());
        for (ProcessHandle process : all) {
            try {
                process.onExit().get(10, TimeUnit.SECONDS);
            } catch (TimeoutException | ExecutionException e) {
                process.destroyForcibly();
                process.onExit().join();
            }
        }
        log.awaitEnd(START_LIMIT);
        try {
            if (namespace != null) {
                namespace.close();
            }
        } finally {
            deleteTree(folder);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
