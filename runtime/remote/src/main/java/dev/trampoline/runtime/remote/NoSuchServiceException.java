package dev.trampoline.runtime.remote;

/**
 * The child has no service the call names, and none appeared within the wait for it
 * ({@code trampoline.remote.serviceWaitMillis}). The message says what the child knows: the bundle is not started
 * there and why, the component lacks a configuration or a reference, or nothing registers that type.
 * <p>
 * Not a {@link CallTimeoutException}: the call's own time limit has not passed (there may be none), and the
 * child is not killed; it serves other calls. Waiting longer rarely helps; the message says what does.
 */
public class NoSuchServiceException extends CallFailedException {

    private static final long serialVersionUID = 1L;

    public NoSuchServiceException(String message) {
        super(message);
    }
}
