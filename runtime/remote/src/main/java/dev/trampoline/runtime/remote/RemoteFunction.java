package dev.trampoline.runtime.remote;

import java.io.Serializable;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A serializable function of a service, run in a child JVM. Write it as a lambda or method reference in
 * the plugin bundle; everything it captures must be serializable, and is checked before any child is used.
 *
 * @param <S> the service type
 * @param <R> the result type (serializable, or {@code null})
 */
@ConsumerType
@FunctionalInterface
public interface RemoteFunction<S, R> extends Serializable {

    /** Runs in the child with the child's instance of the service. */
    R apply(S service) throws Exception;
}
