package dev.trampoline.runtime.remote.internal.wire;

import java.io.Serializable;

/**
 * A service method, chosen in the child by name and the exact parameter types when they are known (a proxy
 * knows them), else by name and the arguments' types (the shell).
 */
public record MethodCall(String name, String[] parameterTypes, Object[] arguments) implements Serializable {

    private static final long serialVersionUID = 1L;
}
