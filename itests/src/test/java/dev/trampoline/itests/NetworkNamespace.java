package dev.trampoline.itests;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A network namespace of its own joined to this machine by a veth pair, so that what runs in it is a second host
 * with its own address: {@code 10.x.y.1} on this side, {@code 10.x.y.2} inside, a random /30 that no route here
 * covers (parallel test JVMs each make their own). Its link can be cut and restored; {@link #close()} ends every
 * process in it and removes the veth and the namespace. Needs root and iproute2's {@code ip}.
 */
final class NetworkNamespace implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int SUBNET_ATTEMPTS = 20;

    /** Why none can be made here, found once (a probe namespace made and removed), or empty if one can. */
    private static volatile Optional<String> unavailableReason;

    private final String name;
    private final String hostSide;
    private final String insideSide;
    private final String insideAddress;
    private final Thread cleanupAtExit;
    private boolean closed;

    private NetworkNamespace(String id, String insideAddress) {
        this.name = "tramp-" + id;
        // Interface names are at most 15 characters.
        this.hostSide = "tramp" + id + "h";
        this.insideSide = "tramp" + id + "n";
        this.insideAddress = insideAddress;
        // A test JVM ended by surefire (a timeout, a kill) skips @AfterAll: the namespace must not outlive it.
        this.cleanupAtExit = new Thread(this::closeQuietly, "remove network namespace " + name);
    }

    /** Why a namespace cannot be made here (not root, no {@code ip}, not permitted), or empty if it can. */
    static Optional<String> unavailableReason() {
        Optional<String> reason = unavailableReason;
        if (reason == null) {
            reason = probe();
            unavailableReason = reason;
        }
        return reason;
    }

    private static Optional<String> probe() {
        try {
            if (!SshUser.runningAsRoot()) {
                return Optional.of("not root: a network namespace cannot be made");
            }
            if (!SshUser.onPath("ip")) {
                return Optional.of("no ip (iproute2) on the PATH: a network namespace cannot be made");
            }
            String probe = "tramp-probe-" + randomId();
            CommandRun add = CommandRun.of(List.of("ip", "netns", "add", probe));
            if (add.exitCode() != 0) {
                return Optional.of("a network namespace cannot be made here: " + add.err().strip());
            }
            CommandRun.succeeding(List.of("ip", "netns", "delete", probe));
            return Optional.empty();
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return Optional.of("cannot check for network namespaces: " + e);
        }
    }

    /** Makes the namespace, its veth pair and addresses, with both ends and the namespace's loopback up. */
    static NetworkNamespace create() throws IOException, InterruptedException {
        int subnet = freeSubnet();
        NetworkNamespace namespace = new NetworkNamespace(randomId(), dotted(subnet + 2));
        Runtime.getRuntime().addShutdownHook(namespace.cleanupAtExit);
        try {
            namespace.ip("netns", "add", namespace.name);
            namespace.ip("link", "add", namespace.hostSide, "type", "veth", "peer", "name", namespace.insideSide,
                    "netns", namespace.name);
            namespace.ip("addr", "add", dotted(subnet + 1) + "/30", "dev", namespace.hostSide);
            namespace.ip("link", "set", namespace.hostSide, "up");
            namespace.ip("-n", namespace.name, "addr", "add", dotted(subnet + 2) + "/30", "dev",
                    namespace.insideSide);
            namespace.ip("-n", namespace.name, "link", "set", namespace.insideSide, "up");
            namespace.ip("-n", namespace.name, "link", "set", "lo", "up");
            return namespace;
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            namespace.close();
            throw e;
        }
    }

    /** Six hex digits: namespace and interface names unique per fixture, short enough for an interface's. */
    private static String randomId() {
        byte[] bytes = new byte[3];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** A random /30 in 10.0.0.0/8 ({@code 10.x.y.z}, z a multiple of 4) that no route here covers. */
    private static int freeSubnet() throws IOException, InterruptedException {
        List<String> routes = CommandRun.succeeding(List.of("ip", "-4", "-o", "route", "show", "table", "all"))
                .out().lines().map(line -> line.split(" ")[0]).toList();
        for (int attempt = 0; attempt < SUBNET_ATTEMPTS; attempt++) {
            int address = (10 << 24) | (RANDOM.nextInt(1 << 16) << 8) | (RANDOM.nextInt(64) << 2);
            if (routes.stream().noneMatch(route -> overlaps(route, address))) {
                return address;
            }
        }
        throw new IOException("no free /30 in 10.0.0.0/8 after " + SUBNET_ATTEMPTS + " tries; routes: " + routes);
    }

    private static String dotted(int address) {
        return (address >>> 24) + "." + (address >> 16 & 0xff) + "." + (address >> 8 & 0xff) + "." + (address & 0xff);
    }

    /** Whether {@code route} (an address or a CIDR prefix; "default" and such never do) meets the /30. */
    private static boolean overlaps(String route, int subnet) {
        String[] prefix = route.split("/");
        String[] octets = prefix[0].split("\\.");
        if (octets.length != 4 || !prefix[0].matches("[0-9.]+")) {
            return false;
        }
        int address = 0;
        for (String octet : octets) {
            address = address << 8 | Integer.parseInt(octet);
        }
        int length = Math.min(prefix.length == 2 ? Integer.parseInt(prefix[1]) : 32, 30);
        int mask = length == 0 ? 0 : -1 << (32 - length);
        return (address & mask) == (subnet & mask);
    }

    /** The namespace's own address, where a server in it listens. */
    String insideAddress() {
        return insideAddress;
    }

    /** {@code command} run inside the namespace ({@code ip netns exec} execs it: its pid is the command's). */
    List<String> exec(List<String> command) {
        List<String> inside = new ArrayList<>(List.of("ip", "netns", "exec", name));
        inside.addAll(command);
        return inside;
    }

    /**
     * Cuts the link: the namespace's end of the veth goes down. This side keeps its route to the /30 over a veth
     * whose peer is down, so what is sent there is dropped without a word, as on a cut cable (taking this side's
     * end down instead would remove that route and send the packets out by the default route, to the real network).
     * Connections stay open and silent; no firewall tool is needed.
     */
    void cut() throws IOException, InterruptedException {
        ip("-n", name, "link", "set", insideSide, "down");
    }

    /**
     * Restores the link {@link #cut()} cut (the addresses stayed; the routes come back with the link). What this
     * side learnt while it was cut goes: the address resolution it kept trying for the inside address fails
     * after the fact, and would fail the first new connection with "No route to host".
     */
    void restore() throws IOException, InterruptedException {
        ip("-n", name, "link", "set", insideSide, "up");
        ip("neigh", "flush", "dev", hostSide);
        ip("-n", name, "neigh", "flush", "dev", insideSide);
    }

    /** The processes running in the namespace now. */
    List<ProcessHandle> processes() throws IOException, InterruptedException {
        CommandRun pids = CommandRun.of(List.of("ip", "netns", "pids", name));
        return pids.out().lines().map(String::strip).filter(line -> !line.isEmpty())
                .flatMap(pid -> ProcessHandle.of(Long.parseLong(pid)).stream()).toList();
    }

    /** Kills every process in the namespace, then removes the veth pair and the namespace; again: nothing. */
    @Override
    public synchronized void close() throws IOException, InterruptedException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupAtExit);
        } catch (IllegalStateException shuttingDown) {
            // Called by that hook: nothing to remove.
        }
        List<ProcessHandle> left = processes();
        left.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle process : left) {
            try {
                process.onExit().get(Eventually.DEFAULT.toSeconds(), TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new IOException("process " + process.pid() + " in " + name + " did not end", e);
            }
        }
        StringBuilder failures = new StringBuilder();
        // Deleting one end deletes both, at once; the namespace's own cleanup would do it later, in the background.
        CommandRun veth = CommandRun.of(List.of("ip", "link", "delete", hostSide));
        if (veth.exitCode() != 0 && !veth.err().contains("Cannot find device")) {
            failures.append(veth.describe()).append('\n');
        }
        CommandRun namespace = CommandRun.of(List.of("ip", "netns", "delete", name));
        if (namespace.exitCode() != 0 && !namespace.err().contains("No such file")) {
            failures.append(namespace.describe()).append('\n');
        }
        if (failures.length() > 0) {
            throw new IOException("removing network namespace " + name + ":\n" + failures);
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (IOException | InterruptedException | RuntimeException e) {
            System.err.println("network namespace " + name + " not removed: " + e);
        }
    }

    String name() {
        return name;
    }

    String hostSide() {
        return hostSide;
    }

    private void ip(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(arguments));
        CommandRun.succeeding(command);
    }
}
