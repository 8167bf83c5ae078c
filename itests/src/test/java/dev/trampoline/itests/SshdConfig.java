package dev.trampoline.itests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The sshd_config of a test's sshd ({@link SshHost}). */
final class SshdConfig {

    /** Whether this sshd knows {@code PerSourcePenalties} (OpenSSH 9.8 on), found once by {@code sshd -t}. */
    private static volatile Boolean knowsPenalties;

    private SshdConfig() {
    }

    /**
     * Writes the config to {@code file}: {@code address} only, at {@code port}; the one host key; {@code user}
     * only, by a key of {@code authorizedKeys} only (no password, no keyboard-interactive, no PAM); sftp for tools
     * that copy files that way.
     */
    static Path write(Path file, String address, int port, Path hostKey, Path authorizedKeys, String user)
            throws IOException, InterruptedException {
        Files.writeString(file, text(address, port, hostKey, authorizedKeys, user, true));
        if (!knowsPenalties(file)) {
            Files.writeString(file, text(address, port, hostKey, authorizedKeys, user, false));
        }
        return file;
    }

    private static boolean knowsPenalties(Path config) throws IOException, InterruptedException {
        if (knowsPenalties == null) {
            CommandRun test = CommandRun.of(List.of(SshHost.SSHD.toString(), "-t", "-f", config.toString()));
            knowsPenalties = !test.err().toLowerCase(Locale.ROOT).contains("persourcepenalties");
        }
        return knowsPenalties;
    }

    private static String text(String address, int port, Path hostKey, Path authorizedKeys, String user,
            boolean penaltiesOff) {
        return "# A test's throwaway sshd (SshHost in the itests).\n"
                + "ListenAddress " + address + "\n"
                + "Port " + port + "\n"
                + "HostKey " + hostKey + "\n"
                + "PidFile none\n"
                + "AllowUsers " + user + "\n"
                + "AuthorizedKeysFile " + authorizedKeys + "\n"
                + "PubkeyAuthentication yes\n"
                + "PasswordAuthentication no\n"
                + "KbdInteractiveAuthentication no\n"
                + "UsePAM no\n"
                // The keys sit in a temp folder under /tmp, which any user may write: strict modes would refuse it.
                + "StrictModes no\n"
                + "PermitUserEnvironment no\n"
                + "AllowAgentForwarding no\n"
                + "X11Forwarding no\n"
                + "PrintMotd no\n"
                // Tests start several children at once: never drop a connection as a flood.
                + "MaxStartups 100\n"
                + "MaxSessions 100\n"
                // Tests fail logins on purpose: later ones from the same address must not be refused for it.
                + (penaltiesOff ? "PerSourcePenalties no\n" : "")
                + "Subsystem sftp internal-sftp\n";
    }
}
