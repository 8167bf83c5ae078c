package dev.trampoline.runtime.remote.internal.wire;

import java.io.Serializable;

/**
 * A service method, chosen in the child by name and the exact parameter types when they are known (a proxy
 * knows them), else by name and the arguments' types (the shell).
 * <p>
 * A plain class rather than a record: the JDK reads records through method handles, and spinning those took
 * about 30 ms of every child's first call.
 */
public final class MethodCall implements Serializable {

    private static final long serialVersionUID = 2L;

    private final String name;
    private final String[] parameterTypes;
    private final Object[] arguments;

    public MethodCall(String name, String[] parameterTypes, Object[] arguments) {
        this.name = name;
        this.parameterTypes = parameterTypes;
        this.arguments = arguments;
    }

    public String name() {
        return name;
    }

    public String[] parameterTypes() {
        return parameterTypes;
    }

    public Object[] arguments() {
        return arguments;
    }
}
