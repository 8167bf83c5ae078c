package dev.trampoline.runtime.remote;

import org.osgi.annotation.versioning.ProviderType;
import org.osgi.framework.ServiceReference;
import org.osgi.util.promise.Promise;

/**
 * Runs calls on services in child JVMs that run the same bundle set as this framework. Registered as an OSGi
 * service by the remote-execution bundle.
 * <p>
 * Each call is serialized in the caller's thread, so anything not serializable fails there, before a child
 * is involved. The promise resolves with the value the child computed, or fails with the exception the
 * service threw (its own class where this side can load it, else a {@link RemoteException} that keeps the
 * remote class name, message and stack), with the caller's call site attached as a suppressed exception.
 * A child that dies fails its calls with {@link ChildFailedException}; a call over its time limit fails with
 * {@link CallTimeoutException}.
 */
@ProviderType
public interface RemoteExecutor {

    /** Runs {@code function} in a child with the child's instance of the service {@code reference} names. */
    <S, R> Promise<R> submit(ServiceReference<S> reference, RemoteFunction<S, R> function, CallOptions options);

    /** As {@link #submit(ServiceReference, RemoteFunction, CallOptions)} with default options. */
    default <S, R> Promise<R> submit(ServiceReference<S> reference, RemoteFunction<S, R> function) {
        return submit(reference, function, CallOptions.DEFAULT);
    }

    /**
     * Runs {@code function} in a child on a service of {@code type} matching the LDAP {@code filter}
     * ({@code null} for any), chosen in the child.
     */
    <S, R> Promise<R> submit(Class<S> type, String filter, RemoteFunction<S, R> function, CallOptions options);

    /**
     * Invokes the public method {@code method} of the service with {@code arguments} in a child. The method is
     * chosen in the child by name and number of arguments, and the arguments' types.
     */
    Promise<Object> invoke(ServiceReference<?> reference, String method, Object[] arguments, CallOptions options);

    /** Runs {@code task} in a child with the child framework's bundle context. */
    <R> Promise<R> run(RemoteTask<R> task, CallOptions options);

    /**
     * An object implementing {@code type} whose every call runs the service {@code reference} names in a
     * child and waits for the result. Exceptions come back as described above; a call that cannot complete
     * throws the failure unchecked.
     */
    <S> S proxy(Class<S> type, ServiceReference<S> reference, CallOptions options);

    /**
     * Cancels a call made through this executor: it fails with {@link java.util.concurrent.CancellationException}
     * and the thread running it in the child is interrupted. Returns false when the promise is already done or
     * did not come from this executor.
     */
    boolean cancel(Promise<?> call);
}
