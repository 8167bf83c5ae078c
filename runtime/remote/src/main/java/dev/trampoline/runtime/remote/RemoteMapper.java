package dev.trampoline.runtime.remote;

import java.io.Serializable;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A serializable function of a service and one input, applied in a child JVM to each input of a bulk call
 * ({@link RemoteExecutor#map}, {@link RemoteExecutor#mapUnordered}). Write it as a lambda or method reference;
 * what it captures must be serializable. It is sent once per chunk of inputs, not once per input.
 *
 * @param <S> the service type
 * @param <T> the input type (serializable, or {@code null})
 * @param <R> the result type (serializable, or {@code null})
 */
@ConsumerType
@FunctionalInterface
public interface RemoteMapper<S, T, R> extends Serializable {

    /** Runs in the child with the child's instance of the service, once per input. */
    R apply(S service, T input) throws Exception;
}
