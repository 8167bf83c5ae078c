package dev.trampoline.runtime.remote.internal.wire;

import java.io.Serializable;

/**
 * What a child must do: apply a function to a service, invoke a method of a service by name, or run a task
 * with the child's bundle context. {@code action} is a {@code RemoteFunction}, a {@link MethodCall} or a
 * {@code RemoteTask}; {@code selector} is null for a task.
 */
public record CallRequest(ServiceSelector selector, Serializable action, long serviceWaitMillis)
        implements Serializable {

    private static final long serialVersionUID = 1L;
}
