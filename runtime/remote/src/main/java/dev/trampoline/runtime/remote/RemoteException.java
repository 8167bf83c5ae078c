package dev.trampoline.runtime.remote;

/**
 * Stands in for an exception thrown in a child whose class cannot be loaded (or instantiated) in the
 * caller's framework. It keeps the remote class name, message, stack trace and cause chain.
 */
public class RemoteException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String remoteClassName;

    public RemoteException(String remoteClassName, String message, Throwable cause) {
        super(remoteClassName + (message == null ? "" : ": " + message), cause);
        this.remoteClassName = remoteClassName;
    }

    /** The fully qualified name of the exception's class in the child. */
    public String remoteClassName() {
        return remoteClassName;
    }
}
