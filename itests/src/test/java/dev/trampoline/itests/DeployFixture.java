package dev.trampoline.itests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceReference;

import dev.trampoline.launcher.Trampoline;
import dev.trampoline.launcher.TrampolineRuntime;
import dev.trampoline.runtime.deploy.DeployService;
import dev.trampoline.runtime.deploy.DeployedArtifact;

/**
 * A real runtime embedded in the test JVM, watching a real deploy folder. The deploy API (and any package
 * named at construction) is shared with the host, so tests read the deployer's own view of each file.
 */
final class DeployFixture implements AutoCloseable {

    final Path deploy;
    final Path storage;
    private final String[] sharedPackages;
    private final java.util.Map<String, String> properties;
    private TrampolineRuntime runtime;

    DeployFixture(Path root, String... sharedPackages) throws BundleException, IOException {
        this(root, java.util.Map.of(), sharedPackages);
    }

    DeployFixture(Path root, java.util.Map<String, String> properties, String... sharedPackages)
            throws BundleException, IOException {
        this.deploy = Files.createDirectories(root.resolve("deploy"));
        this.storage = root.resolve("storage");
        this.sharedPackages = sharedPackages;
        this.properties = properties;
        start();
    }

    /**
     * A runtime for remote calls: the remote API and the promises it returns shared with the children, and the
     * tests' own functions and exceptions (host classes the children share) allowed to cross, besides
     * {@code properties}.
     */
    static DeployFixture forRemoteCalls(Path root, java.util.Map<String, String> properties)
            throws BundleException, IOException {
        java.util.Map<String, String> all = new java.util.HashMap<>(properties);
        all.putIfAbsent("trampoline.remote.allow", "dev.trampoline.itests.*");
        return new DeployFixture(root, all, "dev.trampoline.runtime.remote;version=2.2.0",
                "org.osgi.util.promise;version=1.3.0", "org.osgi.util.function;version=1.2.0");
    }

    /** The runtime's remote executor. */
    dev.trampoline.runtime.remote.RemoteExecutor executor() throws Exception {
        return runtime.service(dev.trampoline.runtime.remote.RemoteExecutor.class, Duration.ofSeconds(10));
    }

    /** The value a call resolved to, or the exception it failed with (not wrapped). */
    static Object await(org.osgi.util.promise.Promise<?> p) throws Exception {
        try {
            return p.getValue();
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw (Exception) e.getCause();
        }
    }

    void start() throws BundleException, IOException {
        Trampoline builder = Trampoline.builder().deployFolder(deploy).storage(storage).logToConsole(false)
                // Give up on an unreadable jar after 1 s rather than 3 s: the corrupt-jar tests wait for it.
                .frameworkProperty("trampoline.deploy.incompleteMillis", "1000")
                .systemPackagesExtra("dev.trampoline.runtime.deploy;version=1.1.0");
        for (String p : sharedPackages) {
            builder.systemPackagesExtra(p);
        }
        properties.forEach(builder::frameworkProperty);
        runtime = builder.start();
    }

    void restart() throws BundleException, IOException {
        runtime.close();
        start();
    }

    TrampolineRuntime runtime() {
        return runtime;
    }

    /** The runtime's log file. */
    Path logFile() {
        return storage.resolve("log").resolve("trampoline.log");
    }

    Optional<Bundle> bundle(String symbolicName) {
        return Arrays.stream(runtime.bundleContext().getBundles())
                .filter(b -> symbolicName.equals(b.getSymbolicName())).findFirst();
    }

    int state(String symbolicName) {
        return bundle(symbolicName).map(Bundle::getState).orElse(Bundle.UNINSTALLED);
    }

    boolean isActive(String symbolicName) {
        return state(symbolicName) == Bundle.ACTIVE;
    }

    /** What the Supplier service of test bundle {@code symbolicName} answers now, or null if there is none. */
    @SuppressWarnings("unchecked")
    String supplied(String symbolicName) {
        try {
            var refs = runtime.bundleContext().getServiceReferences(Supplier.class,
                    "(test.name=" + symbolicName + ")");
            if (refs.isEmpty()) {
                return null;
            }
            ServiceReference<Supplier> ref = refs.iterator().next();
            Supplier<String> s = runtime.bundleContext().getService(ref);
            try {
                return s == null ? null : s.get();
            } finally {
                runtime.bundleContext().ungetService(ref);
            }
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    DeployService deployService() {
        try {
            return runtime.service(DeployService.class, Duration.ofSeconds(10));
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("no DeployService", e);
        }
    }

    Optional<DeployedArtifact> artifact(String fileName) {
        Path file = deploy.resolve(fileName).toAbsolutePath().normalize();
        return deployService().artifacts().stream().filter(a -> a.file().equals(file)).findFirst();
    }

    /** Everything the deployer knows and every bundle's state, for failure messages. */
    String describe() {
        String bundles = Arrays.stream(runtime.bundleContext().getBundles())
                .map(b -> b.getBundleId() + " " + b.getSymbolicName() + " " + b.getVersion() + " state=" + b.getState())
                .collect(Collectors.joining("\n  "));
        String artifacts = deployService().artifacts().stream().map(DeployedArtifact::toString)
                .collect(Collectors.joining("\n  "));
        return "bundles:\n  " + bundles + "\nartifacts:\n  " + artifacts;
    }

    @Override
    public void close() {
        if (runtime != null) {
            runtime.close();
        }
    }
}
