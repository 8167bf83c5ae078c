package dev.trampoline.runtime.remote.internal.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.util.promise.Deferred;
import org.osgi.util.promise.Promise;

import dev.trampoline.runtime.remote.CallRejectedException;
import dev.trampoline.runtime.remote.CallTimeoutException;
import dev.trampoline.runtime.remote.RemoteServiceException;
import dev.trampoline.runtime.remote.internal.wire.ServiceSelector;

/**
 * The rules of what a proxy's method throws, for the outcomes a real child cannot be made to produce on demand
 * (a full queue, an interrupted caller of a method that does not declare {@code InterruptedException}); the
 * itests' {@code ProxyCallTest} shows the others through real children.
 */
class RemoteProxyTest {

    /** A service interface: one method declaring a checked exception, one declaring none. */
    public interface Service {
        String declares() throws IOException;

        String declaresNothing();
    }

    private final AtomicReference<Promise<?>> cancelled = new AtomicReference<>();

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    /** A proxy whose every call answers with {@code answer}. */
    private Service proxy(Promise<Object> answer) {
        ServiceSelector selector = new ServiceSelector(new String[] {Service.class.getName()}, null, null, null);
        return (Service) Proxy.newProxyInstance(Service.class.getClassLoader(), new Class<?>[] {Service.class},
                new RemoteProxy(selector, call -> answer, p -> {
                    cancelled.set(p);
                    return true;
                }));
    }

    private Service failingWith(Throwable failure) {
        Deferred<Object> d = new Deferred<>();
        d.fail(failure);
        return proxy(d.getPromise());
    }

    @Test
    void failuresOfTheCallMachineryAndUncheckedOnesAreThrownAsThemselves() {
        CallRejectedException rejected = new CallRejectedException("queue full");
        assertSame(rejected, assertThrows(CallRejectedException.class, () -> failingWith(rejected).declaresNothing()));
        CallTimeoutException timeout = new CallTimeoutException("too long");
        assertSame(timeout, assertThrows(CallTimeoutException.class, () -> failingWith(timeout).declares()));
        RemoteServiceException standIn = new RemoteServiceException("x.Unloadable", "gone", null);
        assertSame(standIn, assertThrows(RemoteServiceException.class, () -> failingWith(standIn).declaresNothing()));
        StackOverflowError error = new StackOverflowError();
        assertSame(error, assertThrows(StackOverflowError.class, () -> failingWith(error).declaresNothing()));
    }

    @Test
    void aCheckedExceptionIsThrownAsItselfWhereDeclaredAndWrappedWhereNot() {
        IOException checked = new IOException("disk");
        assertSame(checked, assertThrows(IOException.class, () -> failingWith(checked).declares()));

        UndeclaredThrowableException e = assertThrows(UndeclaredThrowableException.class,
                () -> failingWith(checked).declaresNothing());
        assertSame(checked, e.getCause());
        assertTrue(e.getMessage().contains("java.io.IOException") && e.getMessage().contains("declaresNothing"),
                e.getMessage());
    }

    @Test
    void anInterruptedCallerCancelsTheCallAndGetsCancellationWithItsInterruptStatusKept() {
        Promise<Object> never = new Deferred<Object>().getPromise();
        Thread.currentThread().interrupt();

        CancellationException e = assertThrows(CancellationException.class, () -> proxy(never).declaresNothing());

        assertInstanceOf(InterruptedException.class, e.getCause());
        assertTrue(Thread.currentThread().isInterrupted(), "the caller's code still learns it was interrupted");
        assertSame(never, cancelled.get(), "the call was cancelled: nobody waits for it");
    }

    @Test
    void anInterruptedCallerOfAMethodDeclaringInterruptedExceptionGetsIt() throws Exception {
        Promise<Object> never = new Deferred<Object>().getPromise();
        Thread.currentThread().interrupt();

        assertThrows(InterruptedException.class, () -> {
            InterruptibleService s = (InterruptibleService) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {InterruptibleService.class}, new RemoteProxy(new ServiceSelector(
                            new String[] {"s"}, null, null, null), call -> never, p -> cancelled.compareAndSet(null, p)));
            s.waits();
        });
        assertSame(never, cancelled.get());
        assertEquals(false, Thread.currentThread().isInterrupted(), "as any method that throws InterruptedException");
    }

    /** A service interface whose method declares {@link InterruptedException}. */
    public interface InterruptibleService {
        String waits() throws InterruptedException;
    }
}
