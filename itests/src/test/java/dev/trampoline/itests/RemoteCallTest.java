package dev.trampoline.itests;

import static dev.trampoline.itests.DeployFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.util.promise.Promise;

import dev.trampoline.runtime.remote.CallNotSerializableException;
import dev.trampoline.runtime.remote.CallOptions;
import dev.trampoline.runtime.remote.CallTimeoutException;
import dev.trampoline.runtime.remote.ChildFailedException;
import dev.trampoline.runtime.remote.NoSuchServiceException;
import dev.trampoline.runtime.remote.RemoteExecutor;
import dev.trampoline.runtime.remote.RemoteFunction;
import dev.trampoline.runtime.remote.RemoteServiceException;
import dev.trampoline.runtime.remote.RemoteTask;

/**
 * Services of a hot-deployed plugin run in real child JVMs. One runtime and one reusable child serve the tests
 * that are not about starting or losing children.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteCallTest {

    Path root;
    DeployFixture fx;
    RemoteExecutor executor;

    @BeforeAll
    void start(@TempDir Path root) throws Exception {
        this.root = root;
        // The tests' own functions (host classes, on the class path the children share) are allowed by name:
        // the configurable allow-list at work.
        fx = DeployFixture.forRemoteCalls(root, java.util.Map.of("trampoline.remote.allow", "dev.trampoline.itests.*"));
        JobsPlugin.bundle("v1").writeTo(fx.deploy.resolve("jobs.jar"));
        Eventually.until("the jobs plugin is ACTIVE", () -> fx.isActive(JobsPlugin.SYMBOLIC_NAME), fx::describe);
        executor = fx.executor();
    }

    @AfterAll
    void stop() {
        fx.close();
    }

    private ServiceReference<?> jobs() throws Exception {
        return fx.runtime().bundleContext().getServiceReferences((String) null, "(test.name=jobs)")[0];
    }

    private Object call(String method, Object... args) throws Exception {
        return await(executor.invoke(jobs(), method, args, CallOptions.DEFAULT));
    }

    /** An instance of a plugin class, made the way the plugin would: from the plugin bundle's class loader. */
    private Object spec(String name, int n) throws Exception {
        Class<?> spec = fx.bundle(JobsPlugin.SYMBOLIC_NAME).orElseThrow().loadClass("plugin.jobs.Spec");
        return spec.getConstructor(String.class, int.class).newInstance(name, n);
    }

    private static Object field(Object record, String accessor) throws Exception {
        return record.getClass().getMethod(accessor).invoke(record);
    }

    @Test
    void hotDeployedPluginRunsInAChildThatInstalledThePlugin() throws Exception {
        Object report = call("execBg", spec("seed", 100));

        assertEquals("plugin.jobs.Report", report.getClass().getName());
        Bundle owner = FrameworkUtil.getBundle(report.getClass());
        assertEquals(JobsPlugin.SYMBOLIC_NAME, owner.getSymbolicName(), "the result is the plugin's own class");
        assertEquals(5050L, field(report, "result"));
        assertNotEquals(ProcessHandle.current().pid(), field(report, "pid"), "computed in another process");
        assertTrue(field(report, "bundle").toString().startsWith("plugin.jobs 1.0.0 " + fx.deploy.resolve("jobs.jar").toUri()),
                "the child installed the plugin from the parent's deploy location: " + field(report, "bundle"));
    }

    @Test
    void pluginExceptionComesBackAsItsOwnClassWithBothStacks() throws Exception {
        Exception e = assertThrows(Exception.class, () -> call("execBg", spec("bad", -1)));

        assertEquals("plugin.jobs.JobFailed", e.getClass().getName(), "rethrown as the plugin's class");
        assertEquals("negative work: -1", e.getMessage());
        assertEquals("bad", field(e.getClass().getMethod("spec").invoke(e), "name"), "its plugin-typed field crossed too");
        assertTrue(Arrays.stream(e.getStackTrace()).anyMatch(f -> f.getClassName().equals("plugin.jobs.impl.JobsImpl")),
                "the remote stack is kept");
        assertTrue(Arrays.stream(e.getSuppressed()).anyMatch(s -> Arrays.stream(s.getStackTrace())
                .anyMatch(f -> f.getClassName().equals(RemoteCallTest.class.getName()))), "the caller's call site is attached");
    }

    @Test
    void lambdaWrittenInThePluginRunsInAChild() throws Exception {
        @SuppressWarnings("unchecked")
        Function<RemoteExecutor, Object> launcher = (Function<RemoteExecutor, Object>) fx.runtime().bundleContext()
                .getService(fx.runtime().bundleContext().getServiceReferences(Function.class, "(test.name=jobs.launcher)")
                        .iterator().next());

        Object report = launcher.apply(executor);

        assertEquals("from the plugin", field(report, "name"));
        assertEquals(55L, field(report, "result"));
        assertNotEquals(ProcessHandle.current().pid(), field(report, "pid"));
    }

    @Test
    void lambdaWrittenByTheHostReceivesTheChildsServiceAndCapturedPluginValues() throws Exception {
        Object spec = spec("captured", 4);
        @SuppressWarnings("unchecked")
        ServiceReference<Object> ref = (ServiceReference<Object>) jobs();
        RemoteFunction<Object, Object> f = service -> service.getClass().getMethod("execBg", spec.getClass())
                .invoke(service, spec);

        Object report = await(executor.submit(ref, f));

        assertEquals(10L, field(report, "result"));
    }

    @Test
    void pluginTypedValuesCrossBothWaysThroughEcho() throws Exception {
        Object spec = spec("echo", 1);
        Object back = call("echo", spec);
        assertEquals(spec, back);
        assertEquals(spec.getClass(), back.getClass(), "the same class, from the same bundle, on the way back");
        assertEquals(List.of(1, "two", 3.0), call("echo", new ArrayList<>(List.of(1, "two", 3.0))));
    }

    @Test
    void exceptionThatCannotCrossComesBackAsAStandInKeepingItsStory() throws Exception {
        RemoteServiceException e = assertThrows(RemoteServiceException.class, () -> call("failWithUnserializableException"));

        assertEquals("plugin.jobs.impl.WeirdFailure", e.remoteClassName());
        assertTrue(e.getMessage().contains("weird: the root cause"), e.getMessage());
        assertTrue(Arrays.stream(e.getStackTrace()).anyMatch(f -> f.getClassName().equals("plugin.jobs.impl.JobsImpl")));
        RemoteServiceException cause = assertInstanceOf(RemoteServiceException.class, e.getCause(), "the cause chain is kept");
        assertEquals("java.lang.IllegalStateException", cause.remoteClassName());
        assertTrue(cause.getMessage().endsWith("the root cause"), cause.getMessage());
    }

    @Test
    void taskRunsWithTheChildsBundleContext() throws Exception {
        RemoteTask<List<String>> task = context -> Arrays.stream(context.getBundles())
                .map(b -> b.getSymbolicName() + "@" + ProcessHandle.current().pid()).toList();

        @SuppressWarnings("unchecked")
        List<String> bundles = (List<String>) await(executor.run(task, CallOptions.DEFAULT));

        assertTrue(bundles.stream().anyMatch(b -> b.startsWith(JobsPlugin.SYMBOLIC_NAME + "@")), bundles.toString());
        assertTrue(bundles.stream().noneMatch(b -> b.endsWith("@" + ProcessHandle.current().pid())));
    }

    @Test
    void callbacksAreHandedThePromiseTheCallerHolds() throws Exception {
        Promise<String> call = executor.run(context -> "done", CallOptions.DEFAULT);
        java.util.concurrent.atomic.AtomicReference<Promise<?>> seen = new java.util.concurrent.atomic.AtomicReference<>();

        Promise<String> after = call.then(resolved -> {
            seen.set(resolved);
            return resolved;
        });

        assertEquals("done", after.getValue());
        org.junit.jupiter.api.Assertions.assertSame(call, seen.get());
        assertEquals(false, executor.cancel(seen.get()), "it is the call's promise, and the call is over");
    }

    @Test
    void serviceThatNeverAppearsInTheChildIsReportedBeforeTheTimeLimit() throws Exception {
        RemoteFunction<Runnable, String> f = r -> "unreachable";
        Exception e = assertThrows(NoSuchServiceException.class, () -> await(executor.submit(
                Runnable.class, "(no.such=service)", f, CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(2)))));

        assertTrue(e.getMessage().contains("No service") && e.getMessage().contains("no.such=service"), e.getMessage());
    }

    @Test
    void bundleWhoseContentCannotBeCapturedFailsTheCallNamingIt() throws Exception {
        // An exploded bundle (reference:file: to a folder) with an entry that cannot be read: a dangling link.
        Path dir = Files.createDirectories(root.resolve("exploded/META-INF"));
        Files.writeString(dir.resolve("MANIFEST.MF"), "Manifest-Version: 1.0\nBundle-ManifestVersion: 2\n"
                + "Bundle-SymbolicName: uncapturable\nBundle-Version: 1.0.0\n");
        Files.createSymbolicLink(root.resolve("exploded/broken.txt"), root.resolve("nowhere"));
        Bundle b = fx.runtime().bundleContext().installBundle("reference:" + root.resolve("exploded").toUri());
        try {
            ChildFailedException e = assertThrows(ChildFailedException.class, () -> call("revision"));

            assertTrue(e.getMessage().contains("uncapturable 1.0.0"), e.getMessage());
            assertTrue(e.getMessage().contains("could not be captured"), e.getMessage());
        } finally {
            b.uninstall();
        }
        assertEquals("v1", call("revision"), "calls work again once the bundle is gone");
    }

    @Test
    void jvmWarningsOfAChildDoNotCorruptItsChannel() throws Exception {
        // A young generation larger than the initial heap makes the JVM print a warning as it starts.
        CallOptions warns = CallOptions.DEFAULT.withJvmOptions(List.of("-Xms16m", "-Xmn32m"))
                .withTimeout(Duration.ofSeconds(30));

        assertEquals("v1", await(executor.invoke(jobs(), "revision", new Object[0], warns)));
    }

    @Test
    void concurrentCallsRunAtOnceOnOneChild() throws Exception {
        int peers = 6;
        List<Promise<Object>> calls = new ArrayList<>();
        for (int i = 0; i < peers; i++) {
            calls.add(executor.invoke(jobs(), "awaitPeers", new Object[] {peers, 20_000L}, CallOptions.DEFAULT));
        }
        Set<Object> answers = calls.stream().map(p -> {
            try {
                return await(p);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).collect(Collectors.toSet());
        assertEquals(1, answers.size(), "all in one child: " + answers);
    }

    @Test
    void idleChildLetsTheThreadsOfABurstGo() throws Exception {
        concurrentCallsRunAtOnceOnOneChild(); // six calls at once: six call threads
        RemoteTask<Long> callThreadsLeft = context -> {
            long deadline = System.nanoTime() + 10_000_000_000L;
            long alive;
            do {
                Thread.sleep(100);
                alive = Thread.getAllStackTraces().keySet().stream()
                        .filter(t -> t.getName().startsWith("trampoline-call-")).count();
            } while (alive > 2 && System.nanoTime() < deadline);
            return alive;
        };

        assertEquals(2L, await(executor.run(callThreadsLeft, CallOptions.DEFAULT)),
                "this call's thread and the one reading the channel");
    }

    @Test
    void pluginPrintingToStandardOutputDoesNotBreakTheChannel() throws Exception {
        assertEquals("quiet", call("noisy", 200));
        assertEquals(5050L, field(call("execBg", spec("after noise", 100)), "result"));
        Eventually.until("the child's output reached the parent's log with its pid",
                () -> logContains("noise from the plugin 199"));
    }

    private boolean logContains(String text) {
        try {
            return Files.readString(fx.logFile()).lines().anyMatch(l -> l.contains("[child ") && l.contains(text));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void nonSerializableCaptureFailsInTheCallersThreadNamingIt() throws Exception {
        Thread notSerializable = new Thread(() -> { });
        @SuppressWarnings("unchecked")
        ServiceReference<Object> ref = (ServiceReference<Object>) jobs();

        CallNotSerializableException e = assertThrows(CallNotSerializableException.class,
                () -> executor.submit(ref, service -> notSerializable.getName()));

        assertTrue(e.getMessage().contains("java.lang.Thread"), e.getMessage());
        assertTrue(e.getMessage().contains("captured value"), e.getMessage());
    }

    @Test
    void resultThatCannotBeSentBackSaysSoWithoutBlamingTheCall() throws Exception {
        @SuppressWarnings("unchecked")
        ServiceReference<Object> ref = (ServiceReference<Object>) jobs();
        Promise<ThreadLocal<String>> p = executor.submit(ref, service -> new ThreadLocal<String>());

        CallNotSerializableException e = assertThrows(CallNotSerializableException.class, () -> await(p));

        assertTrue(e.getMessage().startsWith("Cannot send the result back to the parent: java.lang.ThreadLocal is not"
                + " serializable. Make it Serializable"), e.getMessage());
    }

    @Test
    void classOutsideTheSnapshotAndAllowListIsRefused() throws Exception {
        Exception e = assertThrows(Exception.class, () -> call("echo", new java.awt.Point(1, 2)));

        assertTrue(e.getMessage().contains("java.awt.Point"), e.getMessage());
        assertTrue(e.getMessage().contains("trampoline.remote.allow"), e.getMessage());
    }

    @Test
    void childDyingMidCallFailsTheCallWithItsExitStatusAndStderr() throws Exception {
        Promise<Object> p = executor.invoke(jobs(), "halt", new Object[] {42}, CallOptions.DEFAULT.withFresh(true));

        ChildFailedException e = assertThrows(ChildFailedException.class, () -> await(p));

        assertEquals(42, e.exitStatus());
        assertTrue(e.getMessage().contains("the plugin halts the child now"), e.getMessage());
    }

    @Test
    void callOverItsTimeLimitFailsAndItsChildIsKilled() throws Exception {
        CallOptions fresh = CallOptions.DEFAULT.withFresh(true).withTimeout(Duration.ofMillis(1500));
        long[] pid = new long[1];
        Promise<Object> p = executor.invoke(jobs(), "sleep", new Object[] {60_000L}, fresh);

        CallTimeoutException e = assertThrows(CallTimeoutException.class, () -> await(p));

        assertTrue(e.getMessage().contains("1500 ms"), e.getMessage());
        String childPid = e.getMessage().replaceAll(".*pid (\\d+).*", "$1");
        pid[0] = Long.parseLong(childPid);
        Eventually.until("the child is gone", () -> ProcessHandle.of(pid[0]).map(h -> !h.isAlive()).orElse(true));
    }

    @Test
    void cancellingACallInterruptsItInTheChild() throws Exception {
        Path marker = root.resolve("interrupted.txt");
        Promise<Object> p = executor.invoke(jobs(), "sleepUntilInterrupted", new Object[] {marker.toString()},
                CallOptions.DEFAULT);
        Eventually.until("the call runs in the child", () -> Files.exists(Path.of(marker + ".started")));

        assertTrue(executor.cancel(p));

        assertInstanceOf(java.util.concurrent.CancellationException.class, p.getFailure());
        Eventually.until("the child's thread was interrupted", () -> Files.exists(marker));
        // Until the child answers the cancelled call, new calls go to another child: the next test's too.
        Eventually.until("the child answered the cancelled call", () -> !ChildStates.anyCancelling(executor));
    }

    @Test
    void childRunsTheRevisionTheParentRunsEvenWhenItsFileChanged() throws Exception {
        Path jar = root.resolve("elsewhere.jar");
        byte[] v1 = TestBundle.supplier("revision.check", "1.0.0", "parent revision").build();
        Files.write(jar, v1);
        fx.runtime().install(jar);
        Files.write(jar, TestBundle.supplier("revision.check", "1.0.0", "changed on disk").build());

        RemoteFunctionOnSupplier ask = new RemoteFunctionOnSupplier();
        Object answer = await(executor.submit(java.util.function.Supplier.class, "(test.name=revision.check)", ask,
                CallOptions.DEFAULT));
        assertEquals("parent revision", answer);

        Files.delete(jar);
        assertEquals("parent revision", await(executor.submit(java.util.function.Supplier.class,
                "(test.name=revision.check)", ask, CallOptions.DEFAULT.withFresh(true))));
    }

    /** A named serializable function (not a lambda) of a JDK-typed service. */
    @SuppressWarnings("rawtypes")
    static final class RemoteFunctionOnSupplier implements RemoteFunction<java.util.function.Supplier, Object> {
        private static final long serialVersionUID = 1L;

        @Override
        public Object apply(java.util.function.Supplier service) {
            return service.get();
        }
    }

    @Test
    void changedBundleSetRoutesNewCallsToANewChildAndRetiresTheOld() throws Exception {
        long before = (long) field(call("execBg", spec("before", 1)), "pid");

        fx.runtime().install("test:snapshot-change",
                new java.io.ByteArrayInputStream(TestBundle.supplier("snapshot.change", "1.0.0", "x").build()));
        long after = (long) field(call("execBg", spec("after", 1)), "pid");

        assertNotEquals(before, after, "a new bundle set, a new child");
        Eventually.until("the old child exits once idle",
                () -> ProcessHandle.of(before).map(h -> !h.isAlive()).orElse(true));
    }
}
