package dev.trampoline.runtime.remote;

import java.io.Serializable;

import org.osgi.annotation.versioning.ConsumerType;
import org.osgi.framework.BundleContext;

/**
 * A serializable task run in a child JVM with the child framework's bundle context.
 *
 * @param <R> the result type (serializable, or {@code null})
 */
@ConsumerType
@FunctionalInterface
public interface RemoteTask<R> extends Serializable {

    /** Runs in the child. {@code context} is the child's system bundle context. */
    R run(BundleContext context) throws Exception;
}
