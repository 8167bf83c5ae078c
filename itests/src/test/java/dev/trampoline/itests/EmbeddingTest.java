package dev.trampoline.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.util.promise.Promise;
import org.osgi.util.promise.PromiseFactory;

import dev.trampoline.examples.greeter.Greeter;
import dev.trampoline.launcher.StorageInUseException;
import dev.trampoline.launcher.Trampoline;
import dev.trampoline.launcher.TrampolineRuntime;
import dev.trampoline.runtime.deploy.DeployService;
import dev.trampoline.runtime.remote.RemoteExecutor;

/** The embedding API, as an application uses it. */
class EmbeddingTest {

    @TempDir
    Path root;

    @Test
    void startAndCloseLeaveNoFrameworkThreadsBehind() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();

        try (TrampolineRuntime runtime = Trampoline.builder().deployFolder(root.resolve("deploy"))
                .storage(root.resolve("storage")).logToConsole(false).start()) {
            assertTrue(runtime.isRunning());
            assertTrue(runtime.bundleContext().getBundles().length > 5, "the runtime bundles are installed");
        }

        Eventually.until("every thread the runtime started has ended", () -> newThreads(before).isEmpty(),
                () -> "still running: " + newThreads(before));
    }

    private static Set<String> newThreads(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> !before.contains(t)).filter(Thread::isAlive)
                .map(Thread::getName).collect(Collectors.toSet());
    }

    @Test
    void installsFromPathAndStreamAndLooksUpServicesWithTheHostsTypes() throws Exception {
        try (TrampolineRuntime runtime = Trampoline.builder().logToConsole(false)
                .systemPackagesExtra("dev.trampoline.examples.greeter;version=1.0.0").start()) {
            Bundle greeter = runtime.install(Examples.greeterJar());
            assertEquals(Bundle.ACTIVE, greeter.getState());
            assertEquals(Examples.greeterJar().toUri().toString(), greeter.getLocation());

            Greeter g = runtime.service(Greeter.class, Duration.ofSeconds(10));
            assertEquals("Hello, Embedder!", g.greet("Embedder"));

            try (InputStream in = Files.newInputStream(Examples.primesJar())) {
                Bundle primes = runtime.install("example:primes", in);
                assertEquals(Bundle.ACTIVE, primes.getState());
            }
        }
    }

    @Test
    void theRuntimesApiIsTheHostsWithNoSetUp() throws Exception {
        try (TrampolineRuntime runtime = Trampoline.builder().logToConsole(false).start()) {
            RemoteExecutor executor = runtime.service(RemoteExecutor.class, Duration.ofSeconds(10));
            DeployService deploy = runtime.service(DeployService.class, Duration.ofSeconds(10));
            assertTrue(deploy.folders().isEmpty());

            // The runtime's bundles use the system bundle's (the host's) API and promises, not their own copies.
            Map<String, Long> remote = packageProviders(FrameworkUtil.getBundle(executor.getClass()));
            for (String pkg : List.of("dev.trampoline.runtime.remote", "org.osgi.util.promise", "org.osgi.util.function")) {
                assertEquals(0L, remote.get(pkg), pkg + " from the system bundle: " + remote);
            }
            Map<String, Long> core = packageProviders(FrameworkUtil.getBundle(deploy.getClass()));
            assertEquals(0L, core.get("dev.trampoline.runtime.deploy"), "from the system bundle: " + core);

            // A host Promise is the executor's Promise: it takes it (and says it is none of its calls).
            Promise<String> mine = new PromiseFactory(PromiseFactory.inlineExecutor()).resolved("host");
            assertFalse(executor.cancel(mine));
        }
    }

    /** Package name to the id of the bundle that provides it to {@code bundle}. */
    private static Map<String, Long> packageProviders(Bundle bundle) {
        return bundle.adapt(BundleWiring.class).getRequiredWires(PackageNamespace.PACKAGE_NAMESPACE).stream()
                .collect(Collectors.toMap(w -> (String) w.getCapability().getAttributes()
                        .get(PackageNamespace.PACKAGE_NAMESPACE), w -> w.getProvider().getBundle().getBundleId()));
    }

    @Test
    void aServiceOfATypeTheHostDoesNotShareFailsWithTheLineThatSharesIt() throws Exception {
        try (TrampolineRuntime runtime = Trampoline.builder().logToConsole(false).start()) {
            runtime.install(Examples.greeterJar());
            ClassCastException e = assertThrows(ClassCastException.class,
                    () -> runtime.service(Greeter.class, Duration.ofSeconds(10)));
            assertTrue(e.getMessage().contains("systemPackagesExtra(\"dev.trampoline.examples.greeter;version="),
                    e.getMessage());
        }
    }

    @Test
    void serviceLookupTimesOutWithAMessageNamingTheService() throws Exception {
        try (TrampolineRuntime runtime = Trampoline.builder().logToConsole(false).start()) {
            TimeoutException e = assertThrows(TimeoutException.class,
                    () -> runtime.service(Runnable.class, "(name=nothing)", Duration.ofMillis(200)));
            assertTrue(e.getMessage().contains("java.lang.Runnable"), e.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> runtime.service(Runnable.class, "(broken", Duration.ofMillis(10)));
        }
    }

    @Test
    void aDeployFolderThatIsAFileIsRefusedAtOnceNamingIt() throws Exception {
        Path file = Files.writeString(root.resolve("plugins.jar"), "not a folder");

        java.io.IOException e = assertThrows(java.io.IOException.class, () -> Trampoline.builder()
                .storage(root.resolve("storage")).deployFolder(file).logToConsole(false).start());

        assertEquals("deploy folder " + file + " is a file, not a folder; give a folder (created if missing)",
                e.getMessage());
        assertFalse(Files.exists(root.resolve("storage")), "refused before the storage folder is touched");
    }

    @Test
    void temporaryStorageIsDeletedOnClose() throws Exception {
        Path storage;
        try (TrampolineRuntime runtime = Trampoline.builder().logToConsole(false).start()) {
            storage = runtime.storage();
            assertTrue(Files.isDirectory(storage));
            assertTrue(runtime.deployFolders().isEmpty(), "embedded: no deploy folder unless asked for");
        }
        assertFalse(Files.exists(storage), storage + " should be gone");
    }

    @Test
    void withoutDeployFoldersHotDeployRunsNoThreadsAndStillReports() throws Exception {
        try (TrampolineRuntime runtime = Trampoline.builder().logToConsole(false)
                .systemPackagesExtra("dev.trampoline.runtime.deploy;version=1.1.0").start()) { // named: taken as given
            DeployService deploy = runtime.service(DeployService.class, Duration.ofSeconds(10));
            assertTrue(deploy.folders().isEmpty());
            assertTrue(deploy.artifacts().isEmpty());
            Set<String> names = Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                    .collect(Collectors.toSet());
            assertFalse(names.contains("trampoline-deploy") || names.contains("trampoline-deploy-events"),
                    "nothing to watch, nothing to wait for: " + names);
        }
    }

    @Test
    void secondRuntimeOnTheSameStorageFailsClearlyAndTheFirstKeepsRunning() throws Exception {
        Path storage = root.resolve("shared");
        try (TrampolineRuntime first = Trampoline.builder().storage(storage).logToConsole(false).start()) {
            StorageInUseException e = assertThrows(StorageInUseException.class,
                    () -> Trampoline.builder().storage(storage).logToConsole(false).start().close());
            assertTrue(e.getMessage().contains(storage.toString()), e.getMessage());
            assertEquals(ProcessHandle.current().pid(), e.holderPid(), "this JVM holds it");
            assertTrue(e.getMessage().contains("pid " + e.holderPid()), e.getMessage());
            assertTrue(first.isRunning());
        }
    }

    @Test
    void closeIsIdempotentAndAwaitStopReturnsAfterIt() throws Exception {
        TrampolineRuntime runtime = Trampoline.builder().logToConsole(false).start();
        Thread waiter = new Thread(() -> {
            try {
                runtime.awaitStop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waiter.start();
        runtime.close();
        runtime.close();
        waiter.join(10_000);
        assertFalse(waiter.isAlive());
        assertFalse(runtime.isRunning());
    }
}
