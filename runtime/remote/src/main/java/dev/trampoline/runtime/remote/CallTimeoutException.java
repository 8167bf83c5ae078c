package dev.trampoline.runtime.remote;

/**
 * A call did not finish within its time limit ({@link CallOptions#timeout()}): it either waited that long for a
 * child, or ran that long in one, and then the child that ran it was killed. The message says which.
 */
public class CallTimeoutException extends CallFailedException {

    private static final long serialVersionUID = 1L;

    public CallTimeoutException(String message) {
        super(message);
    }
}
