package dev.trampoline.runtime.remote.internal.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts child JVMs in a session (so a process group) of their own: the signals of the terminal the runtime
 * runs in (SIGINT for Ctrl-C, SIGQUIT, SIGTSTP, SIGHUP when it closes) go to its foreground process group, and a
 * child must not get them. Ctrl-C belongs to the command running in the shell, which cancels its call; a child
 * still ends when its parent does, as its channel (stdin) closes.
 * <p>
 * {@link ProcessBuilder} cannot call setsid(2), so the argument array is prefixed with util-linux's
 * {@code setsid} program. A process the JVM starts is not a process-group leader, so setsid(2) succeeds there and
 * the program execs the command in place, without forking: the process keeps its pid, the one the pool lists,
 * kills and names folders by. Where there is no such program (not Linux), children start as before, in the
 * runtime's process group.
 */
public final class OwnSession {

    /** The setsid program, or null when there is none. */
    public static final Path SETSID = locate(List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid")));

    private OwnSession() {
    }

    static Path locate(List<Path> candidates) {
        return candidates.stream().filter(Files::isExecutable).findFirst().orElse(null);
    }

    /** {@code command} (an argument array) run in a session of its own where the system allows. */
    public static List<String> command(List<String> command) {
        return command(SETSID, command);
    }

    /** {@code command} prefixed with {@code setsid} (a program's path, or null: {@code command} as it is). */
    static List<String> command(Path setsid, List<String> command) {
        if (setsid == null) {
            return command;
        }
        List<String> args = new ArrayList<>(command.size() + 1);
        args.add(setsid.toString());
        args.addAll(command);
        return args;
    }
}
