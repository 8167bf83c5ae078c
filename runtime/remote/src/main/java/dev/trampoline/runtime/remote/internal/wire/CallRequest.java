package dev.trampoline.runtime.remote.internal.wire;

import java.io.Serializable;

/**
 * What a child must do: apply a function to a service, invoke a method of a service by name, or run a task
 * with the child's bundle context. {@code action} is a {@code RemoteFunction}, a {@link MethodCall} or a
 * {@code RemoteTask}; {@code selector} is null for a task.
 * <p>
 * A plain class rather than a record: the JDK reads records through method handles, and spinning those took
 * about 30 ms of every child's first call.
 */
public final class CallRequest implements Serializable {

    private static final long serialVersionUID = 2L;

    private final ServiceSelector selector;
    private final Serializable action;
    private final long serviceWaitMillis;

    public CallRequest(ServiceSelector selector, Serializable action, long serviceWaitMillis) {
        this.selector = selector;
        this.action = action;
        this.serviceWaitMillis = serviceWaitMillis;
    }

    public ServiceSelector selector() {
        return selector;
    }

    public Serializable action() {
        return action;
    }

    public long serviceWaitMillis() {
        return serviceWaitMillis;
    }
}
