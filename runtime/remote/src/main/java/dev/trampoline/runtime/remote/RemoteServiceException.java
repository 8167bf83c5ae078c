package dev.trampoline.runtime.remote;

/**
 * Stands in for an exception thrown in a child (by the service, function or task, or as a cause of one) whose
 * class cannot be loaded in the caller's framework, or is refused by the deserialization filter (the refusal
 * is then attached as a suppressed exception). It keeps the remote class name, message, stack trace, causes
 * (themselves stand-ins) and suppressed exceptions.
 * <p>
 * It is the service's failure, not the call machinery's, so it is not a {@link CallFailedException}: the call
 * ran and this is what it threw. Named so as not to be mistaken for {@code java.rmi.RemoteException}.
 */
public class RemoteServiceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String remoteClassName;

    public RemoteServiceException(String remoteClassName, String message, Throwable cause) {
        super(remoteClassName + (message == null ? "" : ": " + message), cause);
        this.remoteClassName = remoteClassName;
    }

    /** The fully qualified name of the exception's class in the child. */
    public String remoteClassName() {
        return remoteClassName;
    }
}
