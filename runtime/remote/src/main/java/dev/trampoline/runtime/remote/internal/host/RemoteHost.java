package dev.trampoline.runtime.remote.internal.host;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A host children may run on, reached with the system's OpenSSH client: so the user's {@code ~/.ssh/config}, agent,
 * {@code known_hosts} and ProxyJump apply to it as they do for the user. Or, when {@code slurm} is set, a Slurm
 * partition whose children each run as a job step of {@code srun} (see {@link SlurmOptions}); its ssh fields are
 * then unused.
 *
 * @param name      the name calls and {@code tramp:hosts} use
 * @param address   what ssh connects to: a host name, an address, or a {@code Host} alias of the ssh config
 * @param user      the user to log in as, or null (ssh's default: the config's, else the local user's)
 * @param port      the port, or 0 (ssh's default)
 * @param slots     how many children may run there at once
 * @param java      the java binary on that host ({@code java}: the login's PATH)
 * @param work      the work folder on that host (relative: to the login's home), private to the user (0700)
 * @param sshConfig an ssh config file used instead of the user's ({@code ssh -F}), or null
 * @param labels    labels a call may ask for instead of a name
 * @param slurm     how children start through {@code srun}, or null: through ssh
 */
public record RemoteHost(String name, String address, String user, int port, int slots, String java, String work,
        Path sshConfig, Set<String> labels, SlurmOptions slurm) {

    /** The work folder when none is set: in the login's home. */
    public static final String DEFAULT_WORK = ".cache/trampoline";

    /** @throws IllegalArgumentException if the address or the user starts with '-' (ssh would take it for an option) */
    public RemoteHost {
        labels = Set.copyOf(labels);
        if (address.startsWith("-") || user != null && user.startsWith("-")) {
            throw new IllegalArgumentException("host " + name + ": an address or user starting with '-' would be"
                    + " an option to ssh: '" + (address.startsWith("-") ? address : user) + "'");
        }
    }

    /** A host reached through ssh. */
    public RemoteHost(String name, String address, String user, int port, int slots, String java, String work,
            Path sshConfig, Set<String> labels) {
        this(name, address, user, port, slots, java, work, sshConfig, labels, null);
    }

    /**
     * The ssh argument array that runs {@code remoteCommand} (one string, which the login's shell runs) there:
     * no terminal, no prompt for a password or an unknown host key ({@code BatchMode}), and the connection given
     * up after a few missed keep-alives rather than left hanging.
     */
    List<String> ssh(String remoteCommand) {
        List<String> args = new ArrayList<>(List.of("ssh", "-T", "-o", "BatchMode=yes", "-o", "ConnectTimeout=10",
                "-o", "ServerAliveInterval=5", "-o", "ServerAliveCountMax=3"));
        if (sshConfig != null) {
            args.add("-F");
            args.add(sshConfig.toString());
        }
        if (port > 0) {
            args.add("-p");
            args.add(Integer.toString(port));
        }
        if (user != null) {
            args.add("-l");
            args.add(user);
        }
        args.add(address);
        args.add("--");
        args.add(remoteCommand);
        return args;
    }

    /** A command to paste into a terminal of this machine, to see for oneself whether ssh reaches the host. */
    String tryItYourself() {
        return "ssh" + (sshConfig == null ? "" : " -F " + sshConfig) + (port > 0 ? " -p " + port : "")
                + (user == null ? "" : " -l " + user) + " " + address + " true";
    }

    /** {@code words} as one command line for a POSIX shell, each word single-quoted: nothing in one is expanded. */
    static String shellLine(List<String> words) {
        StringBuilder line = new StringBuilder();
        for (String word : words) {
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append('\'').append(word.replace("'", "'\\''")).append('\'');
        }
        return line.toString();
    }

    @Override
    public String toString() {
        if (slurm != null) {
            return name + " (slurm" + (slurm.partition() == null ? "" : " partition " + slurm.partition()) + ", "
                    + slots + " slot" + (slots == 1 ? "" : "s") + ")";
        }
        return name + " (" + (user == null ? "" : user + "@") + address + (port > 0 ? ":" + port : "") + ", "
                + slots + " slot" + (slots == 1 ? "" : "s") + ")";
    }
}
