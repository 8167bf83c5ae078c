package dev.trampoline.itests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code Host} block of an OpenSSH client config for a test's sshd ({@link SshHost}): only what it names is
 * used (no agent, no default keys, no known_hosts but its own, no prompt), so a test sees what ssh does with
 * exactly these settings. Its variants are for tests of what fails.
 */
record SshClientConfig(String alias, String hostName, int port, String user, Path identityFile, Path knownHosts) {

    /** This config without the throwaway user key: ssh offers only its default keys, which the server refuses. */
    SshClientConfig withoutIdentity() {
        return new SshClientConfig(alias, hostName, port, user, null, knownHosts);
    }

    /** This config trusting the host keys in {@code otherKnownHosts} instead. */
    SshClientConfig withKnownHosts(Path otherKnownHosts) {
        return new SshClientConfig(alias, hostName, port, user, identityFile, otherKnownHosts);
    }

    /** Writes it to {@code file} and returns the file. */
    Path writeTo(Path file) throws IOException {
        StringBuilder text = new StringBuilder()
                .append("Host ").append(alias).append('\n')
                .append("  HostName ").append(hostName).append('\n')
                .append("  Port ").append(port).append('\n')
                .append("  User ").append(user).append('\n');
        if (identityFile != null) {
            text.append("  IdentityFile ").append(quoted(identityFile)).append('\n');
        }
        text.append("  IdentitiesOnly yes\n")
                .append("  IdentityAgent none\n")
                .append("  UserKnownHostsFile ").append(quoted(knownHosts)).append('\n')
                .append("  GlobalKnownHostsFile /dev/null\n")
                .append("  StrictHostKeyChecking yes\n")
                .append("  UpdateHostKeys no\n")
                .append("  BatchMode yes\n")
                .append("  ConnectTimeout 10\n");
        return Files.writeString(file, text);
    }

    /** ssh_config's quoting, for a temp folder's path with a space (none of a test's paths holds a double quote). */
    private static String quoted(Path file) {
        return '"' + file.toString() + '"';
    }
}
