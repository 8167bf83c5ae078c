package dev.trampoline.runtime.remote;

import java.util.List;
import java.util.function.Consumer;

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
     * Applies {@code function} to every input in children, in chunks (one call per chunk, see
     * {@link BulkOptions}), spread over up to {@code options.parallelism()} children, and resolves with one
     * {@link Outcome} per input, in input order. An input whose function threw (or whose input or result cannot
     * cross) fails alone, at its index; the promise still resolves with every other input's result. Every input
     * of a chunk that brought no answer (its child died, its time limit passed, the service is missing) fails
     * with that chunk's {@link CallFailedException}. The promise fails as a whole only when the bulk call is
     * {@linkplain #cancel cancelled} ({@link java.util.concurrent.CancellationException}), which cancels every
     * chunk not yet answered.
     * <p>
     * Inputs are taken from {@code inputs} as chunks are sent, a few chunks per child ahead of the answers, so an
     * {@code Iterable} computed as it goes need not be in memory at once (the outcomes are kept until the end,
     * strings and boxed numbers in the compact form they came in, each read as its outcome is: every read gives
     * an equal value, not the same object). Results are serialized as the chunk ends, all in one go, as
     * Python's {@code Pool.map} does: a function that returns one object it changes for each input returns its
     * last state for each. The first chunk is serialized in the caller's thread: a {@code function} that cannot be serialized throws
     * {@link CallNotSerializableException} here, and nothing is sent.
     */
    <S, T, R> Promise<List<Outcome<R>>> map(ServiceReference<S> reference, RemoteMapper<S, T, R> function,
            Iterable<? extends T> inputs, BulkOptions options);

    /**
     * As {@link #map}, but each outcome is handed to {@code each} as soon as its chunk's answer is read, in no
     * particular order across chunks (in input order within one), each input exactly once; {@code each} is called
     * by one thread at a time (a thread of the executor: keep it short). Nothing but the chunks in flight is kept,
     * so inputs and outcomes need not fit in memory. The promise resolves with the number of outcomes once the
     * last was handed over; it fails if the call is {@linkplain #cancel cancelled} (no outcome is handed over
     * after that) or if {@code each} throws (the bulk call is then cancelled, and fails with what it threw).
     */
    <S, T, R> Promise<Long> mapUnordered(ServiceReference<S> reference, RemoteMapper<S, T, R> function,
            Iterable<? extends T> inputs, BulkOptions options, Consumer<? super Outcome<R>> each);

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
     * Cancels a call made through this executor (a bulk call too: its chunks not yet answered are cancelled): it
     * fails with {@link java.util.concurrent.CancellationException}
     * (not a {@link CallFailedException}: the caller chose it) and the thread running it in the child is
     * interrupted. Returns false when the promise is already done or did not come from this executor. The
     * promise fails once the pool has taken the call back: usually before this returns, else a moment later
     * (another thread was handing calls to children); {@code getFailure()} waits for it.
     */
    boolean cancel(Promise<?> call);
}
