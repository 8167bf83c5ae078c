package dev.trampoline.runtime.remote;

import org.osgi.annotation.versioning.ProviderType;
import org.osgi.framework.ServiceReference;
import org.osgi.util.promise.Promise;

/**
 * Runs calls on services in child JVMs that run the same bundle set as this framework. Registered as an OSGi
 * service by the remote-execution bundle.
 * <p>
 * Each call is serialized in the caller's thread, so anything not serializable fails there, with a
 * {@link CallNotSerializableException}, before a child is involved. The promise resolves with the value the
 * child computed, or fails with:
 * <ul>
 * <li>the exception the service (function, task) threw: its own class where this side can load it, else a
 * {@link RemoteServiceException} that keeps the remote class name, message, stack and causes;</li>
 * <li>a {@link CallFailedException} when the call machinery could not bring an answer:
 * {@link CallNotSerializableException} (the result cannot be sent back, or one side cannot read what the other
 * sent), {@link NoSuchServiceException}, {@link CallRejectedException} (the queue is full),
 * {@link CallTimeoutException}, {@link ChildFailedException};</li>
 * <li>{@link java.util.concurrent.CancellationException} when the call was {@linkplain #cancel cancelled}.</li>
 * </ul>
 * Every failure carries the caller's call site as a suppressed exception. A reference to a service that is no
 * longer registered is an {@link IllegalArgumentException} in the caller's thread.
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
     * child and waits for the result ({@code Object}'s methods run locally). What a call of a method {@code m}
     * of the proxy throws:
     * <ul>
     * <li>the service's exception, if it is unchecked, or checked and declared by {@code m}: as itself, the
     * caller's call site attached as a suppressed exception;</li>
     * <li>the service's checked exception that {@code m} does not declare (the child's copy of the interface
     * differs, or the service is written in a language without checked exceptions):
     * {@link java.lang.reflect.UndeclaredThrowableException} with that exception as its cause, as any
     * {@link java.lang.reflect.Proxy} does;</li>
     * <li>the service's exception whose class cannot be loaded here: a {@link RemoteServiceException}
     * (unchecked);</li>
     * <li>a failure of the call machinery: the unchecked {@link CallFailedException} subtypes, as for
     * {@link #submit submit} ({@link CallNotSerializableException} in the caller's thread for arguments that
     * cannot be serialized, {@link NoSuchServiceException}, {@link CallRejectedException},
     * {@link CallTimeoutException}, {@link ChildFailedException});</li>
     * <li>the caller's thread interrupted while it waits: the call is cancelled (its thread in the child is
     * interrupted), and {@code m} throws {@link InterruptedException} if it declares it, else a
     * {@link java.util.concurrent.CancellationException} whose cause is the {@code InterruptedException}, with
     * the thread's interrupt status set again.</li>
     * </ul>
     *
     * @throws IllegalArgumentException if {@code reference} is no longer registered
     */
    <S> S proxy(Class<S> type, ServiceReference<S> reference, CallOptions options);

    /**
     * Cancels a call made through this executor: it fails with {@link java.util.concurrent.CancellationException}
     * (not a {@link CallFailedException}: the caller chose it) and the thread running it in the child is
     * interrupted. Returns false when the promise is already done or did not come from this executor. The
     * promise fails once the pool has taken the call back: usually before this returns, else a moment later
     * (another thread was handing calls to children); {@code getFailure()} waits for it.
     */
    boolean cancel(Promise<?> call);
}
