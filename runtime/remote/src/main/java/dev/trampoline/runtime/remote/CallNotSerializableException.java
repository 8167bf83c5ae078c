package dev.trampoline.runtime.remote;

/**
 * Thrown in the caller's thread when a call (its function, arguments or task) cannot be serialized. The
 * message names the offending class and where it sits, for example the captured variable of a lambda.
 */
public class CallNotSerializableException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public CallNotSerializableException(String message, Throwable cause) {
        super(message, cause);
    }
}
