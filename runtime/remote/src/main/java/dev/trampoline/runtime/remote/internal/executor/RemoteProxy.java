package dev.trampoline.runtime.remote.internal.executor;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.concurrent.CancellationException;
import java.util.function.Function;
import java.util.function.Predicate;

import org.osgi.util.promise.Promise;

import dev.trampoline.runtime.remote.internal.wire.MethodCall;
import dev.trampoline.runtime.remote.internal.wire.ServiceSelector;

/**
 * A proxy's calls: every method of the service interface becomes a method call in a child, and the caller
 * blocks for its answer; {@code Object}'s methods stay local. What a method throws is what
 * {@code RemoteExecutor.proxy} documents: a caller never meets an {@code UndeclaredThrowableException} for a
 * failure of the call machinery or an interrupt, only for a checked exception of the service that the method
 * does not declare.
 */
final class RemoteProxy implements InvocationHandler {

    private final ServiceSelector selector;
    private final Function<MethodCall, Promise<Object>> call;
    private final Predicate<Promise<?>> cancel;

    RemoteProxy(ServiceSelector selector, Function<MethodCall, Promise<Object>> call, Predicate<Promise<?>> cancel) {
        this.selector = selector;
        this.call = call;
        this.cancel = cancel;
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
        Promise<Object> answer = call.apply(new MethodCall(method.getName(), types, args));
        try {
            return answer.getValue();
        } catch (InvocationTargetException e) {
            throw asDeclared(method, e.getCause());
        } catch (InterruptedException e) {
            // Nobody waits for the answer any more: the child stops working on it.
            cancel.test(answer);
            if (declares(method, InterruptedException.class)) {
                throw e;
            }
            Thread.currentThread().interrupt(); // the caller's code still learns it was interrupted
            CancellationException cancelled = new CancellationException("The remote call " + method.getName()
                    + " was cancelled: the calling thread was interrupted");
            cancelled.initCause(e);
            throw cancelled;
        }
    }

    /**
     * {@code failure} as the proxy may throw it from {@code method}: unchecked failures (the call machinery's,
     * the stand-in) and declared checked ones as they are; an undeclared checked one wrapped, as any proxy does.
     */
    static Throwable asDeclared(Method method, Throwable failure) {
        if (failure instanceof RuntimeException || failure instanceof Error || declares(method, failure.getClass())) {
            return failure;
        }
        return new UndeclaredThrowableException(failure, "The service threw " + failure.getClass().getName()
                + ", which " + method.getDeclaringClass().getName() + "." + method.getName() + " does not declare");
    }

    private static boolean declares(Method method, Class<?> exception) {
        for (Class<?> declared : method.getExceptionTypes()) {
            if (declared.isAssignableFrom(exception)) {
                return true;
            }
        }
        return false;
    }
}
