package dev.trampoline.runtime.remote.internal.child;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.function.Function;

import org.osgi.util.promise.Promise;

import dev.trampoline.runtime.remote.internal.wire.MethodCall;
import dev.trampoline.runtime.remote.internal.wire.ServiceSelector;

/**
 * A proxy's calls: every method of the service interface becomes a method call in a child, and the caller
 * blocks for its answer; {@code Object}'s methods stay local.
 */
final class RemoteProxy implements InvocationHandler {

    private final ServiceSelector selector;
    private final Function<MethodCall, Promise<Object>> call;

    RemoteProxy(ServiceSelector selector, Function<MethodCall, Promise<Object>> call) {
        this.selector = selector;
        this.call = call;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
                case "equals" -> proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                default -> "remote proxy of " + selector;
            };
        }
        String[] types = new String[method.getParameterCount()];
        for (int i = 0; i < types.length; i++) {
            types[i] = method.getParameterTypes()[i].getName();
        }
        try {
            return call.apply(new MethodCall(method.getName(), types, args)).getValue();
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
