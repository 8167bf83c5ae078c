package dev.trampoline.runtime.remote.internal.process;

import java.io.IOException;

/**
 * How a child comes to run and be connected. The parent speaks to what this returns only through its stdin,
 * stdout and stderr (framed as the wire package says), its exit and its kill: the local starter runs a JVM on
 * this machine; the pool's unit tests run a scripted child over in-memory pipes; a child on another host would be
 * started here too.
 */
@FunctionalInterface
public interface ChildStarter {

    /** Child JVMs on this machine, each in a session of its own, made of the spare JVM where it fits. */
    ChildStarter LOCAL = (command, spare) -> command.launch(spare);

    /**
     * Starts {@code command}'s child, or makes it of {@code spare} (a JVM started ahead; null if none) if that can
     * be it. It may be slow: call it under no lock another caller needs.
     */
    Process start(ChildCommand command, SpareJvm spare) throws IOException;
}
