package dev.trampoline.launcher.internal;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.OptionalInt;

import org.osgi.framework.BundleException;
import org.osgi.framework.launch.Framework;

/**
 * The shell's {@code exit} and {@code exit N}: records the exit status and stops the framework, as Ctrl-D
 * and {@code stop 0} do; the launcher then exits with that status.
 * <p>
 * Without it, {@code exit} resolved to {@code System.exit(int)}, which Gogo's stock profile adds as commands:
 * no argument could not be coerced, and with one the JVM exited under the shell's feet, whose thread the
 * framework's stop then interrupted (a stack trace). Registered in scope {@code gogo}, which the shells
 * search first ({@code SCOPE = 'gogo:*'}), so a bare {@code exit} finds this one.
 * <p>
 * The command returns at once, the framework stopping in its own thread; the interactive shell ends with
 * it, and a command loop checks {@link #requested()} so that no line after {@code exit} runs.
 */
public final class ExitCommand {

    public static final String SCOPE = "gogo";

    private final Framework framework;
    private volatile Integer status;
    private volatile boolean requested;

    private ExitCommand(Framework framework) {
        this.framework = framework;
    }

    /** Registers {@code gogo:exit} with the framework's shell; the registration ends with the framework. */
    public static ExitCommand register(Framework framework) {
        ExitCommand command = new ExitCommand(framework);
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("osgi.command.scope", SCOPE);
        props.put("osgi.command.function", new String[] {"exit"});
        framework.getBundleContext().registerService(Object.class, command, props);
        return command;
    }

    /** {@code exit}: stops the framework; the launcher exits 0 (or 1 when a piped command line failed). */
    public void exit() throws BundleException {
        request(null);
    }

    /** {@code exit N}: stops the framework; the launcher exits with status {@code N}. */
    public void exit(int status) throws BundleException {
        if (status < 0 || status > 255) {
            throw new IllegalArgumentException("exit status " + status + " is not in 0..255");
        }
        request(status);
    }

    private void request(Integer code) throws BundleException {
        synchronized (this) {
            if (requested) {
                return;
            }
            status = code;
            requested = true;
        }
        // Asynchronous: the system bundle stops in a thread of its own. Waiting here would have the stop
        // interrupt the interactive shell's thread while it waits for this command, which it prints.
        framework.stop();
    }

    /** Whether {@code exit} was run. */
    public boolean requested() {
        return requested;
    }

    /** The status given to {@code exit N}; empty for a bare {@code exit} or none. */
    public OptionalInt status() {
        Integer s = status;
        return s == null ? OptionalInt.empty() : OptionalInt.of(s);
    }
}
