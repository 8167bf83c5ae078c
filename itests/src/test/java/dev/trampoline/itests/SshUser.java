package dev.trampoline.itests;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Who logs in to a test's sshd ({@link SshHost}). Running as root (as CI does), a user of its own,
 * {@value #REMOTE_USER}, so that a test sees what a login as another user can and cannot do (the parent's files
 * are not its); otherwise the current user, the only one a sshd not run by root can let in.
 */
record SshUser(String name, Path home) {

    static final String REMOTE_USER = "trampoline-remote";

    /** The user the tests log in as, made ready to log in first when the tests run as root. */
    static SshUser forTests() throws IOException, InterruptedException {
        if (!runningAsRoot()) {
            return of(System.getProperty("user.name"));
        }
        if (passwdEntry(REMOTE_USER).isEmpty()) {
            CommandRun created = CommandRun.of(List.of("useradd", "--create-home", "--shell", "/bin/bash",
                    REMOTE_USER));
            // Another test JVM may have created it meanwhile: that one is as good.
            if (created.exitCode() != 0 && passwdEntry(REMOTE_USER).isEmpty()) {
                throw new IOException(created.describe());
            }
        }
        unlock();
        return of(REMOTE_USER);
    }

    /** Why no test can log in here, or empty if one can. */
    static Optional<String> unavailableReason() {
        try {
            if (runningAsRoot()) {
                return passwdEntry(REMOTE_USER).isPresent() || onPath("useradd") ? Optional.empty()
                        : Optional.of("no user " + REMOTE_USER + " and no useradd to create it");
            }
            String user = System.getProperty("user.name");
            Optional<String[]> entry = passwdEntry(user);
            if (entry.isEmpty()) {
                return Optional.of("the current user " + user + " has no passwd entry");
            }
            String shell = entry.get()[6];
            return shell.endsWith("nologin") || shell.endsWith("false") || !Files.isExecutable(Path.of(shell))
                    ? Optional.of("the current user " + user + " has no login shell (" + shell + ")")
                    : Optional.empty();
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return Optional.of("cannot read the user database: " + e);
        }
    }

    static boolean runningAsRoot() throws IOException {
        // /proc/self is owned by the process's effective user.
        return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    }

    static boolean onPath(String program) {
        for (String folder : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!folder.isEmpty() && Files.isExecutable(Path.of(folder, program))) {
                return true;
            }
        }
        return false;
    }

    private static SshUser of(String name) throws IOException, InterruptedException {
        String[] entry = passwdEntry(name).orElseThrow(() -> new IOException("no passwd entry for " + name));
        return new SshUser(name, Path.of(entry[5]));
    }

    /**
     * useradd leaves the password locked ({@code !}), and a sshd without PAM refuses a locked account even for a
     * key; {@code *} is no password either (none can match it) but not locked.
     */
    private static void unlock() throws IOException, InterruptedException {
        CommandRun shadow = CommandRun.succeeding(List.of("getent", "shadow", REMOTE_USER));
        if (shadow.out().split(":", -1)[1].startsWith("!")) {
            CommandRun.succeeding(List.of("usermod", "--password", "*", REMOTE_USER));
        }
    }

    /** The user's passwd fields (name, password, uid, gid, gecos, home, shell), or empty if none. */
    private static Optional<String[]> passwdEntry(String name) throws IOException, InterruptedException {
        CommandRun passwd = CommandRun.of(List.of("getent", "passwd", name));
        return passwd.exitCode() == 0 ? Optional.of(passwd.out().strip().split(":", -1)) : Optional.empty();
    }
}
