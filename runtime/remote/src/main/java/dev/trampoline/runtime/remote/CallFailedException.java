package dev.trampoline.runtime.remote;

/**
 * A call could not run to an answer: the failures of the call machinery, as opposed to the exception the
 * service (or the function or task) threw, which comes back as itself. Unchecked, so that a
 * {@linkplain RemoteExecutor#proxy proxy} throws it from any method of any interface. The subtypes say what
 * went wrong, and so what a caller can do:
 * <ul>
 * <li>{@link CallNotSerializableException}: the call or its answer cannot cross between the JVMs (fix what is
 * sent, or allow its class);</li>
 * <li>{@link NoSuchServiceException}: the child has no service the call names (see the message for why);</li>
 * <li>{@link CallRejectedException}: every child is busy and the queue is full (retry later);</li>
 * <li>{@link CallTimeoutException}: the call's time limit passed;</li>
 * <li>{@link ChildFailedException}: the child could not start, died, or can no longer be trusted.</li>
 * </ul>
 * Not failures of the call machinery, and so not of this type: a cancelled call fails with the JDK's
 * {@link java.util.concurrent.CancellationException} (the convention of {@code Promise} and {@code Future});
 * a reference to a service no longer registered, or an invalid {@link CallOptions}, is an
 * {@link IllegalArgumentException} in the caller's thread.
 */
public abstract class CallFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A failure whose cause may be set later ({@link #initCause}). */
    protected CallFailedException(String message) {
        super(message);
    }

    protected CallFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
