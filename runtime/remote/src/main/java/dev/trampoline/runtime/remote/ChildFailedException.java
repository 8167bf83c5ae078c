package dev.trampoline.runtime.remote;

/**
 * A call could not complete because its child JVM could not start, died (exit, crash, kill) while the
 * call ran, broke the protocol, or threw an error that leaves its state unknown (an {@code OutOfMemoryError}:
 * the cause). The message gives the exit status and the last lines the child wrote to standard error.
 */
public class ChildFailedException extends CallFailedException {

    private static final long serialVersionUID = 1L;

    private final long pid;
    private final Integer exitStatus;

    public ChildFailedException(String message, long pid, Integer exitStatus) {
        super(message);
        this.pid = pid;
        this.exitStatus = exitStatus;
    }

    /** A failure caused by {@code cause}, an error the child threw (an {@code OutOfMemoryError}, say). */
    public ChildFailedException(String message, long pid, Integer exitStatus, Throwable cause) {
        super(message, cause);
        this.pid = pid;
        this.exitStatus = exitStatus;
    }

    /** The child's process id, or -1 if it never started. */
    public long pid() {
        return pid;
    }

    /** The child's exit status, or {@code null} if it is not known. */
    public Integer exitStatus() {
        return exitStatus;
    }
}
