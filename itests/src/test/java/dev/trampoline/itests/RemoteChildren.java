package dev.trampoline.itests;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The remote children of a test's runtime, as tests see them when the "remote" host is this machine (an
 * {@link SshHost}, in a network namespace or not): processes here, and the pids the shell's calls print.
 */
final class RemoteChildren {

    private RemoteChildren() {
    }

    /** The remote children of the host work folder {@code remoteWork} now running. */
    static List<ProcessHandle> running(String remoteWork) {
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("")
                .matches(".*ChildMain --remote --work \\S*" + remoteWork + ".*")).toList();
    }

    /**
     * The local pid (of its ssh client) of the child that answered the last call on {@code host} in {@code out}, as
     * the shell prints it, or -1.
     */
    static long lastPidIn(String out, String host) {
        Matcher m = Pattern.compile("\\(computed by child pid \\d+ on host " + host + ", local pid (\\d+)\\)")
                .matcher(out);
        long pid = -1;
        while (m.find()) {
            pid = Long.parseLong(m.group(1));
        }
        return pid;
    }
}
