package dev.trampoline.runtime.remote.internal.process;

import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;

/**
 * How a child comes to run and be connected. The parent speaks to what this returns only through its stdin,
 * stdout and stderr (framed as the wire package says), its exit and its kill: the local starter runs a JVM on
 * this machine; the pool's unit tests run scripted children over in-memory pipes; a child on another host would be
 * started here too.
 */
public interface ChildStarter {

    /** Child JVMs on this machine, each in a session of its own, made of the spare JVM where it fits. */
    ChildStarter LOCAL = new LocalStarter();

    /**
     * Starts {@code command}'s child, or makes it of {@code spare} (a JVM started ahead; null if none) if that can
     * be it. It may be slow: call it under no lock another caller needs. {@code started} is told of the process as
     * soon as it exists, before anything slow the starter still does with it (a remote child's boot exchange): a
     * kill meanwhile ends it there, and the start then fails. From then on the caller reads its stderr (to the log,
     * keeping its last lines, which end a failed start's message): a starter must not read it.
     */
    Process start(ChildCommand command, SpareJvm spare, Consumer<Process> started) throws IOException;

    /**
     * Starts a spare from the argument array {@code command} (see {@link SpareJvm}): it waits, reading its stdin,
     * to be handed a child's arguments, and leaves when its stdin ends.
     */
    Process startSpare(List<String> command) throws IOException;

    /** {@link #LOCAL}. */
    final class LocalStarter implements ChildStarter {

        private LocalStarter() {
        }

        @Override
        public Process start(ChildCommand command, SpareJvm spare, Consumer<Process> started) throws IOException {
            Process p = command.launch(spare);
            started.accept(p);
            return p;
        }

        @Override
        public Process startSpare(List<String> command) throws IOException {
            // In a session of its own, as every child (see OwnSession): the terminal's Ctrl-C is not for it.
            return new ProcessBuilder(OwnSession.command(command)).redirectInput(ProcessBuilder.Redirect.PIPE)
                    .redirectOutput(ProcessBuilder.Redirect.PIPE).redirectError(ProcessBuilder.Redirect.PIPE)
                    .start();
        }
    }
}
