package dev.trampoline.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.UndeclaredThrowableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;

import dev.trampoline.runtime.remote.CallNotSerializableException;
import dev.trampoline.runtime.remote.CallOptions;
import dev.trampoline.runtime.remote.CallTimeoutException;
import dev.trampoline.runtime.remote.ChildFailedException;
import dev.trampoline.runtime.remote.NoSuchServiceException;
import dev.trampoline.runtime.remote.RemoteExecutor;
import dev.trampoline.runtime.remote.RemoteServiceException;

/**
 * What the caller of a proxy's method gets for each outcome, through real children (see
 * {@link RemoteExecutor#proxy}). The plugin's {@code Jobs} interface exists only in its bundle, so its methods
 * are called on the proxy by reflection: what the proxy throws is the cause of the
 * {@link InvocationTargetException}, exactly what a direct caller would catch. One runtime and one reusable
 * child serve the tests; the time limit and the child's death take a fresh child of their own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProxyCallTest {

    Path root;
    DeployFixture fx;
    RemoteExecutor executor;
    Class<?> jobsType;

    @BeforeAll
    void start(@TempDir Path root) throws Exception {
        this.root = root;
        fx = DeployFixture.forRemoteCalls(root, java.util.Map.of());
        JobsPlugin.bundle("v1").writeTo(fx.deploy.resolve("jobs.jar"));
        Eventually.until("the jobs plugin is ACTIVE", () -> fx.isActive(JobsPlugin.SYMBOLIC_NAME), fx::describe);
        executor = fx.executor();
        jobsType = fx.bundle(JobsPlugin.SYMBOLIC_NAME).orElseThrow().loadClass("plugin.jobs.Jobs");
    }

    @AfterAll
    void stop() {
        fx.close();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Object jobs(CallOptions options) throws Exception {
        ServiceReference ref = fx.runtime().bundleContext().getServiceReferences((String) null, "(test.name=jobs)")[0];
        return executor.proxy((Class) jobsType, ref, options);
    }

    /** Calls {@code method} on {@code proxy} as a caller would, and returns what it returned. */
    private static Object call(Object proxy, String method, Object... args) throws Throwable {
        Method m = Arrays.stream(proxy.getClass().getInterfaces()[0].getMethods())
                .filter(c -> c.getName().equals(method)).findFirst().orElseThrow();
        try {
            return m.invoke(proxy, args);
        } catch (InvocationTargetException e) {
            throw e.getCause(); // what the proxy threw
        }
    }

    private Object spec(String name, int n) throws Exception {
        Class<?> spec = fx.bundle(JobsPlugin.SYMBOLIC_NAME).orElseThrow().loadClass("plugin.jobs.Spec");
        return spec.getConstructor(String.class, int.class).newInstance(name, n);
    }

    @Test
    void eachCallRunsInAChildAndObjectsMethodsStayHere() throws Throwable {
        Object proxy = jobs(CallOptions.DEFAULT);

        Object report = call(proxy, "execBg", spec("proxied", 3));

        assertEquals(6L, report.getClass().getMethod("result").invoke(report));
        assertNotEquals(ProcessHandle.current().pid(), report.getClass().getMethod("pid").invoke(report));
        assertTrue(proxy.toString().contains("remote proxy"), proxy.toString());
        assertEquals(proxy, proxy);
    }

    @Test
    void aDeclaredCheckedExceptionOfTheServiceIsThrownAsItself() throws Throwable {
        Throwable e = assertThrows(Exception.class, () -> call(jobs(CallOptions.DEFAULT), "execBg", spec("bad", -1)));

        assertEquals("plugin.jobs.JobFailed", e.getClass().getName(), "execBg declares it");
        assertEquals("negative work: -1", e.getMessage());
        assertTrue(Arrays.stream(e.getSuppressed()).anyMatch(s -> Arrays.stream(s.getStackTrace())
                .anyMatch(f -> f.getClassName().equals(ProxyCallTest.class.getName()))), "the call site is attached");
    }

    @Test
    void anUncheckedExceptionOfTheServiceIsThrownAsItself() throws Throwable {
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> call(jobs(CallOptions.DEFAULT), "execBg", new Object[] {null}));

        assertTrue(Arrays.stream(e.getStackTrace()).anyMatch(f -> f.getClassName().equals("plugin.jobs.impl.JobsImpl")),
                "thrown by the service in the child: " + Arrays.toString(e.getStackTrace()));
    }

    @Test
    void anExceptionWhoseClassCannotCrossIsThrownAsTheUncheckedStandIn() throws Throwable {
        RemoteServiceException e = assertThrows(RemoteServiceException.class,
                () -> call(jobs(CallOptions.DEFAULT), "failWithUnserializableException"));

        assertEquals("plugin.jobs.impl.WeirdFailure", e.remoteClassName());
    }

    @Test
    void anUndeclaredCheckedExceptionOfTheServiceIsWrappedAsAnyProxyWrapsIt() throws Throwable {
        UndeclaredThrowableException e = assertThrows(UndeclaredThrowableException.class,
                () -> call(jobs(CallOptions.DEFAULT), "failWithUndeclaredJobFailed"));

        assertEquals("plugin.jobs.JobFailed", e.getCause().getClass().getName());
        assertEquals("undeclared", e.getCause().getMessage());
        assertTrue(e.getMessage().contains("failWithUndeclaredJobFailed does not declare"), e.getMessage());
    }

    @Test
    void argumentsThatCannotBeSerializedFailInTheCallersThread() throws Throwable {
        Thread caller = Thread.currentThread();
        AtomicReference<Thread> thrownIn = new AtomicReference<>();
        CallNotSerializableException e = assertThrows(CallNotSerializableException.class, () -> {
            try {
                call(jobs(CallOptions.DEFAULT), "echo", new Thread(() -> { }));
            } finally {
                thrownIn.set(Thread.currentThread());
            }
        });

        assertEquals(caller, thrownIn.get());
        assertTrue(e.getMessage().contains("java.lang.Thread"), e.getMessage());
    }

    @Test
    void aTimeLimitThatPassesThrowsTheUncheckedCallTimeoutException() throws Throwable {
        Object proxy = jobs(CallOptions.DEFAULT.withFresh(true).withTimeout(Duration.ofMillis(1500)));

        // sleep declares only InterruptedException: the time limit is not a checked exception the caller must know
        CallTimeoutException e = assertThrows(CallTimeoutException.class, () -> call(proxy, "sleep", 60_000L));

        assertTrue(e.getMessage().contains("1500 ms"), e.getMessage());
    }

    @Test
    void aChildThatDiesThrowsChildFailedException() throws Throwable {
        ChildFailedException e = assertThrows(ChildFailedException.class,
                () -> call(jobs(CallOptions.DEFAULT.withFresh(true)), "halt", 42));

        assertEquals(42, e.exitStatus());
    }

    @Test
    void aServiceTheChildDoesNotHaveThrowsNoSuchServiceException() throws Throwable {
        // Registered by the test in the parent only: no bundle of the set registers it in a child.
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("test.name", "parent.only");
        ServiceRegistration<Runnable> reg = fx.runtime().bundleContext().registerService(Runnable.class, () -> { },
                properties);
        try {
            Runnable remote = executor.proxy(Runnable.class, reg.getReference(),
                    CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(2)));

            NoSuchServiceException e = assertThrows(NoSuchServiceException.class, remote::run);

            assertTrue(e.getMessage().contains("No service"), e.getMessage());
        } finally {
            reg.unregister();
        }
    }

    @Test
    void anInterruptedCallerCancelsTheCallAndGetsTheDeclaredInterruptedException() throws Throwable {
        Path marker = root.resolve("proxy-interrupted.txt");
        Object proxy = jobs(CallOptions.DEFAULT);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                call(proxy, "sleepUntilInterrupted", marker.toString());
            } catch (Throwable t) {
                thrown.set(t);
            }
        }, "proxy-caller");
        caller.start();
        Eventually.until("the call runs in the child", () -> Files.exists(Path.of(marker + ".started")));

        caller.interrupt();
        caller.join(Eventually.DEFAULT.toMillis());

        assertFalse(caller.isAlive(), "the interrupted caller returned");
        assertInstanceOf(InterruptedException.class, thrown.get(), "sleepUntilInterrupted declares Exception");
        Eventually.until("the child's thread was interrupted", () -> Files.exists(marker));
        // Until the child answers the cancelled call, new calls go to another child: the next test's too.
        Eventually.until("the child answered the cancelled call", () -> !ChildStates.anyCancelling(executor));
    }
}
