package dev.trampoline.launcher.internal;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.OptionalInt;

import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
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
 * The command returns at once, the framework stopping in its own thread. The terminal shell's loop is told to
 * end before the command returns, so that it reads no other line (what was typed or pasted after {@code exit}
 * never runs) and ends as on Ctrl-D; a piped command loop checks {@link #requested()}.
 */
public final class ExitCommand {

    public static final String SCOPE = "gogo";

    /** The service of Gogo's terminal shell ({@code gosh}), whose {@code stop()} ends its read-run loop. */
    private static final String GOGO_SHELL = "org.apache.felix.gogo.jline.Shell";

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
        endTerminalShell();
        // Asynchronous: the system bundle stops in a thread of its own. Waiting here would have the stop
        // interrupt the interactive shell's thread while it waits for this command, which it prints.
        framework.stop();
    }

    /**
     * Has the terminal shell end its loop once this command returns, before it reads the next line: Gogo runs a
     * command on a thread of its own, and the framework's stop would come too late for a line already typed.
     * By reflection: the shell's classes live in a bundle the launcher does not see.
     */
    private void endTerminalShell() {
        BundleContext context = framework.getBundleContext();
        try {
            ServiceReference<?>[] shells = context.getAllServiceReferences(GOGO_SHELL, null);
            for (ServiceReference<?> ref : shells == null ? new ServiceReference<?>[0] : shells) {
                Object shell = context.getService(ref);
                if (shell == null) {
                    continue;
                }
                try {
                    shell.getClass().getMethod("stop").invoke(shell);
                } finally {
                    context.ungetService(ref);
                }
            }
        } catch (InvalidSyntaxException | ReflectiveOperationException | IllegalStateException e) {
            // no terminal shell of this shape, or the framework already stopping: its stop ends the shell
        }
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
