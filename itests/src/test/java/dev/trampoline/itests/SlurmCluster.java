package dev.trampoline.itests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

/**
 * A real single-node Slurm cluster for one test class, from Debian's {@code slurm-wlm} and {@code munge}: munged
 * with a throwaway key, slurmctld and slurmd in the foreground, node {@value #NODE} with partition
 * {@value #PARTITION}, all configured in a temp folder of their own (the daemons' TCP ports are free ones of
 * 127.0.0.1's). Started once {@code sinfo} shows the node idle. slurmd runs jobs as their user only when it is root:
 * the tests skip, saying so, unless they run as root.
 */
final class SlurmCluster implements AutoCloseable {

    static final String NODE = "localhost";
    static final String PARTITION = "debug";
    private static final List<String> DAEMONS = List.of("/usr/sbin/munged", "/usr/sbin/slurmctld",
            "/usr/sbin/slurmd");
    private static final List<String> TOOLS = List.of("srun", "sinfo", "squeue", "scancel");

    private final Path folder;
    private final Path conf;
    private final List<Process> daemons = new ArrayList<>();

    private SlurmCluster(Path folder) {
        this.folder = folder;
        this.conf = folder.resolve("slurm.conf");
    }

    /** Skips the calling test, saying why, unless a cluster can start here. */
    static void assumeAvailable() {
        Optional<String> reason = unavailableReason();
        Assumptions.assumeTrue(reason.isEmpty(), () -> reason.orElse("") + ": Slurm tests skipped");
    }

    private static Optional<String> unavailableReason() {
        for (String daemon : DAEMONS) {
            if (!Files.isExecutable(Path.of(daemon))) {
                return Optional.of("no " + daemon + " (Debian's slurm-wlm and munge packages)");
            }
        }
        for (String tool : TOOLS) {
            if (!SshUser.onPath(tool)) {
                return Optional.of("no " + tool + " on the PATH (Debian's slurm-client package)");
            }
        }
        try {
            return SshUser.runningAsRoot() ? Optional.empty()
                    : Optional.of("not root: slurmd runs job steps as their user only when it runs as root");
        } catch (IOException e) {
            return Optional.of("cannot tell whether this is root: " + e);
        }
    }

    /** Starts munged, slurmctld and slurmd; returns once the node is idle, else fails with their logs. */
    static SlurmCluster start() throws IOException, InterruptedException {
        Path folder = Files.createTempDirectory("trampoline-slurm-");
        SlurmCluster cluster = new SlurmCluster(folder);
        try {
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
            for (String sub : List.of("state", "spool", "log")) {
                Files.createDirectories(folder.resolve(sub));
            }
            byte[] key = new byte[1024];
            new SecureRandom().nextBytes(key);
            Path keyFile = Files.write(folder.resolve("munge.key"), key);
            Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("r--------"));
            Path socket = folder.resolve("munge.socket");
            Files.writeString(cluster.conf, String.join("\n",
                    "ClusterName=trampoline",
                    "SlurmctldHost=" + NODE,
                    "SlurmctldPort=" + freePort(),
                    "SlurmdPort=" + freePort(),
                    "SlurmUser=root",
                    "SlurmdUser=root",
                    "AuthType=auth/munge",
                    "AuthInfo=socket=" + socket,
                    "StateSaveLocation=" + folder.resolve("state"),
                    "SlurmdSpoolDir=" + folder.resolve("spool"),
                    "SlurmctldPidFile=" + folder.resolve("slurmctld.pid"),
                    "SlurmdPidFile=" + folder.resolve("slurmd.pid"),
                    "SlurmctldLogFile=" + folder.resolve("log/slurmctld.log"),
                    "SlurmdLogFile=" + folder.resolve("log/slurmd.log"),
                    // No cgroups: processes are tracked by their parentage, tasks bound to nothing.
                    "ProctrackType=proctrack/linuxproc",
                    "TaskPlugin=task/none",
                    "SelectType=select/cons_tres",
                    "SelectTypeParameters=CR_CPU",
                    "MpiDefault=none",
                    "ReturnToService=2",
                    "JobCompType=jobcomp/none",
                    "AccountingStorageType=accounting_storage/none",
                    "NodeName=" + NODE + " NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN",
                    "PartitionName=" + PARTITION + " Nodes=" + NODE + " Default=YES MaxTime=INFINITE State=UP",
                    ""));
            cluster.daemon("munged", "/usr/sbin/munged", "-F", "--force", "--key-file=" + keyFile,
                    "--socket=" + socket, "--pid-file=" + folder.resolve("munged.pid"),
                    "--log-file=" + folder.resolve("log/munged.log"), "--seed-file=" + folder.resolve("munged.seed"));
            Eventually.until("munged made its socket", () -> Files.exists(socket), cluster::logs);
            cluster.daemon("slurmctld", "/usr/sbin/slurmctld", "-D", "-f", cluster.conf.toString());
            cluster.daemon("slurmd", "/usr/sbin/slurmd", "-D", "-N", NODE, "-f", cluster.conf.toString());
            Eventually.until("sinfo shows the node idle", () -> cluster.nodeState().equals("idle"), cluster::logs);
            return cluster;
        } catch (IOException | RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    private void daemon(String name, String... command) throws IOException {
        daemons.add(new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File(
                "/dev/null"))).redirectErrorStream(true).redirectOutput(folder.resolve("log/" + name + ".out")
                .toFile()).start());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** A Slurm tool's argument array, pointed at this cluster. */
    List<String> tool(String... command) {
        List<String> args = new ArrayList<>(List.of("env", "SLURM_CONF=" + conf));
        args.addAll(List.of(command));
        return args;
    }

    /** The node's state as sinfo says it (idle, mixed, allocated...), or what went wrong. */
    String nodeState() {
        try {
            CommandRun sinfo = CommandRun.of(tool("sinfo", "-h", "-n", NODE, "-o", "%T"));
            return sinfo.exitCode() == 0 ? sinfo.out().strip() : sinfo.describe();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The jobs running or pending now, one {@code id name state} line each. */
    String jobs() {
        try {
            return CommandRun.succeeding(tool("squeue", "-h", "-o", "%i %j %T")).out();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes an srun for this cluster to {@code file}: it appends its arguments to {@code arguments}, one per
     * line, then runs the system's srun with them (what a host's {@code srun} field may name).
     */
    Path srunScript(Path file, Path arguments) throws IOException {
        Files.writeString(file, "#!/bin/sh\nprintf '%s\\n' \"$@\" >> '" + arguments + "'\nSLURM_CONF='" + conf
                + "' exec srun \"$@\"\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    /** The daemons' logs, for a failing test's message. */
    String logs() {
        StringBuilder text = new StringBuilder();
        try (Stream<Path> files = Files.list(folder.resolve("log"))) {
            for (Path f : files.sorted().toList()) {
                List<String> lines = Files.readAllLines(f);
                text.append("== ").append(f.getFileName()).append('\n')
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())))
                        .append('\n');
            }
        } catch (IOException e) {
            text.append(e);
        }
        return text.toString();
    }

    /** Cancels every job, ends the daemons and deletes the cluster's folder. */
    @Override
    public void close() throws InterruptedException {
        if (daemons.size() == DAEMONS.size()) {
            try {
                CommandRun.of(tool("scancel", "--user=" + System.getProperty("user.name")));
                Eventually.until("no job is left", () -> jobs().isBlank(), this::jobs);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        for (int i = daemons.size() - 1; i >= 0; i--) { // slurmd first, munged last
            Process daemon = daemons.get(i);
            daemon.destroy();
            if (!daemon.waitFor(10, TimeUnit.SECONDS)) {
                daemon.destroyForcibly().waitFor();
            }
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
