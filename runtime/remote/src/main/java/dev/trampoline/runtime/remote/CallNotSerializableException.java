package dev.trampoline.runtime.remote;

/**
 * A call or its answer cannot cross between the JVMs. Thrown in the caller's thread, before any child is
 * involved, when the call (its function, arguments or task) cannot be serialized; the promise fails with it
 * when the child cannot send the result back, when the child cannot read the call, or when the caller's side
 * cannot read the answer (its class is refused by the deserialization filter, say). The message names the
 * offending class and where it sits, for example the captured variable of a lambda, or the rule that refused
 * it.
 */
public class CallNotSerializableException extends CallFailedException {

    private static final long serialVersionUID = 1L;

    public CallNotSerializableException(String message, Throwable cause) {
        super(message, cause);
    }
}
