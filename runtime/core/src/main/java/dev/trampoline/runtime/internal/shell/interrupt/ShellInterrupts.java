package dev.trampoline.runtime.internal.shell.interrupt;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Job;

/**
 * Ctrl-C for a shell command that waits ({@code tramp:call}, {@code log:tail}): while the command runs, Ctrl-C at
 * the session's terminal interrupts the command's own thread, and nothing else.
 * <p>
 * Gogo's terminal shell answers Ctrl-C by interrupting the whole job: it then prints its own
 * {@code java.lang.InterruptedException} line and may close the command's output before the command has said what
 * it did. Here the command gets the interrupt as an {@link InterruptedException} where it waits, handles it (a
 * call is cancelled, a tail ends) and returns as usual, so the shell prints the command's result and no
 * exception. Ctrl-C while another job is in the foreground is passed on to the shell's handler, and at the prompt
 * the line reader has its own.
 * <p>
 * Without a terminal (a piped or {@code --exec} session, a session of no JLine shell) the command just runs.
 */
public final class ShellInterrupts {

    /** The session variable in which Gogo's terminal shell keeps its JLine terminal. */
    public static final String TERMINAL = ".terminal";

    /** A command's body: it may wait, and handles the {@link InterruptedException} that Ctrl-C causes. */
    @FunctionalInterface
    public interface Command<T> {
        T run() throws Exception;
    }

    private ShellInterrupts() {
    }

    /** Runs {@code command} on this thread so that Ctrl-C at {@code session}'s terminal interrupts this thread. */
    public static <T> T run(CommandSession session, Command<T> command) throws Exception {
        Object terminal = session == null ? null : session.get(TERMINAL);
        CtrlC ctrlC = new CtrlC(Thread.currentThread(), session, Job.Utils.current());
        try (TerminalInterruptHandler handler = TerminalInterruptHandler.install(terminal, ctrlC::signal)) {
            return command.run();
        } finally {
            ctrlC.end();
        }
    }

    /** What one Ctrl-C does for one command run: interrupts its thread once, while it runs in the foreground. */
    static final class CtrlC {

        private final Thread thread;
        private final CommandSession session;
        private final Job job;
        private boolean running = true;
        private boolean interrupted;

        CtrlC(Thread thread, CommandSession session, Job job) {
            this.thread = thread;
            this.session = session;
            this.job = job;
        }

        /** Ctrl-C: interrupts the command, or passes the signal on when another job has the terminal. */
        synchronized void signal(Runnable passOn) {
            if (!running) {
                return; // the command has ended; the shell's own handler is back (or about to be)
            }
            if (!inForeground()) {
                passOn.run();
                return;
            }
            if (!interrupted) { // a second Ctrl-C while the command winds down would interrupt its clean-up
                interrupted = true;
                thread.interrupt();
            }
        }

        /** The command has returned: no interrupt from now on, and none left behind on its thread. */
        synchronized void end() {
            running = false;
            if (interrupted && Thread.currentThread() == thread) {
                Thread.interrupted(); // Ctrl-C came as the command was returning: it must not hit the next one
            }
        }

        private boolean inForeground() {
            Job foreground = session == null ? null : session.foregroundJob();
            if (job == null || foreground == null) {
                return true;
            }
            for (Job j = job; j != null; j = j.parent()) {
                if (j == foreground) {
                    return true;
                }
            }
            return false;
        }
    }
}
