package dev.trampoline.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import org.apache.felix.framework.FrameworkFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.util.tracker.ServiceTracker;

import dev.trampoline.launcher.internal.DeployFolder;
import dev.trampoline.launcher.internal.DeployedBundleLevels;
import dev.trampoline.launcher.internal.ExitCommand;
import dev.trampoline.launcher.internal.Folders;
import dev.trampoline.launcher.internal.FrameworkLogger;
import dev.trampoline.launcher.internal.LauncherLog;
import dev.trampoline.launcher.internal.RuntimeBundles;
import dev.trampoline.launcher.internal.RuntimeRole;
import dev.trampoline.launcher.internal.Storage;
import dev.trampoline.launcher.internal.SystemPackages;

/**
 * A running Trampoline: the framework, its runtime bundles and deploy folders. Closing it stops the
 * framework and waits until it has stopped.
 */
public final class TrampolineRuntime implements AutoCloseable {

    /** The service the core bundle registers once the deploy folders' first scan has been applied. */
    static final String DEPLOY_SERVICE = "dev.trampoline.runtime.deploy.DeployService";
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Framework framework;
    private final Storage storage;
    private final LauncherLog log;
    private final Trampoline.Settings settings;
    private volatile boolean closed;
    private volatile ExitCommand exitCommand;

    private TrampolineRuntime(Framework framework, Storage storage, LauncherLog log, Trampoline.Settings settings) {
        this.framework = framework;
        this.storage = storage;
        this.log = log;
        this.settings = settings;
    }

    static TrampolineRuntime start(Trampoline.Settings settings) throws BundleException, IOException {
        long startNanos = System.nanoTime();
        for (DeployFolder folder : settings.deployFolders()) {
            // At once and in one line: a watcher that cannot watch would leave the start waiting for its scan.
            Folders.prepareDeployFolder(folder.folder(), "deploy folder");
        }
        Storage storage = Storage.prepare(settings.storage(), settings.clean());
        LauncherLog log = new LauncherLog(storage.logFile(), settings.logLevel(), settings.logToConsole());
        Framework framework;
        try {
            if (!settings.shell() && settings.shellCommands()) {
                storage.writeHeadlessShellProfile();
            }
            framework = new FrameworkFactory().newFramework(frameworkConfig(settings, storage, log));
            framework.init();
        } catch (BundleException | IOException | RuntimeException e) {
            storage.close();
            if (e instanceof BundleException) {
                throw new BundleException("Cannot start the framework on " + storage.root() + ": " + e.getMessage(),
                        e);
            }
            throw e;
        }
        TrampolineRuntime runtime = new TrampolineRuntime(framework, storage, log, settings);
        try {
            RuntimeRole.registerCondition(framework.getBundleContext(), RuntimeRole.PARENT);
            RuntimeBundles bundles = new RuntimeBundles(framework.getBundleContext(), storage.cache(), log);
            bundles.installOrUpdate();
            DeployedBundleLevels.apply(framework.getBundleContext(), settings.deployFolders(),
                    DeployFolder.defaultLevel(settings.frameworkProperties().get(DeployFolder.DEFAULT_LEVEL_PROPERTY)),
                    log);
            framework.start();
            bundles.startAll();
            log.attach(framework.getBundleContext());
            runtime.awaitDeployFolders(Duration.ofSeconds(60));
            log.info("Started in " + (System.nanoTime() - startNanos) / 1_000_000 + " ms with "
                    + framework.getBundleContext().getBundles().length + " bundles");
            if (settings.shell() || settings.shellCommands()) {
                if (settings.shell() && bundles.stockShellProfile() != null && ownsTerminalProfile(settings)) {
                    storage.writeTerminalShellProfile(bundles.stockShellProfile().toString());
                }
                runtime.exitCommand = ExitCommand.register(framework); // before the shell can read `exit`
                bundles.startShell();
            }
            return runtime;
        } catch (BundleException | IOException | RuntimeException e) {
            runtime.close();
            throw e;
        }
    }

    private static Map<String, Object> frameworkConfig(Trampoline.Settings settings, Storage storage,
            LauncherLog log) throws IOException {
        Map<String, Object> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, storage.cache().toString());
        if (settings.clean()) {
            config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        }
        config.put("trampoline.deploy.dirs", DeployFolder.propertyValue(settings.deployFolders()));
        config.put("trampoline.log.file", storage.logFile().toString());
        config.put("trampoline.log.level", log.level());
        config.put("trampoline.log.console", Boolean.toString(settings.logToConsole()));
        config.put("org.osgi.service.log.admin.loglevel", log.level());
        config.put("trampoline.storage", storage.root().toString());
        // Felix resolves on a pool of one thread per core whose threads outlive the framework by 60 s; an
        // embedded runtime must leave nothing behind on close, and a few dozen bundles resolve fast in one.
        config.put("felix.resolver.parallelism", "1");
        // The framework's own diagnostics go to the log file; the console gets them through the Log Service.
        config.put("felix.log.logger", new FrameworkLogger(log));
        config.put("felix.log.level", FrameworkLogger.felixLevel(log.level()));
        if (!settings.shell()) {
            // Gogo's terminal bundle still registers its commands and argument converters (a bundle id where
            // a Bundle is expected), but must not take over a terminal it was not given. Its stock profile
            // configures the line reader an interactive shell has, so a headless one gets a profile without it.
            config.put("gosh.args", "--nointeractive --noshutdown");
            config.put("gosh.home", storage.headlessShellHome().toString());
        }
        if (settings.shell() && ownsTerminalProfile(settings)) {
            // Gogo's stock profile and Tab completion for tramp:call (see Storage.writeTerminalShellProfile).
            config.put("gosh.home", storage.terminalShellHome().toString());
        }
        config.putAll(settings.frameworkProperties());
        if (!config.containsKey(Constants.FRAMEWORK_BEGINNING_STARTLEVEL)) {
            // The framework starts at the highest level of the deploy folders, so that every deployed bundle runs
            // (a user who sets the level decides; the core bundle warns about folders above it).
            int highest = DeployFolder.highestLevel(settings.deployFolders(),
                    DeployFolder.defaultLevel(config.get(DeployFolder.DEFAULT_LEVEL_PROPERTY)));
            if (highest > 1) {
                config.put(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, Integer.toString(highest));
            }
        }
        // The host's packages, and the runtime's API wherever the host has it, so that RemoteExecutor, Promise and
        // DeployService are the host's own classes (children inherit the property and the class path).
        List<String> given = new ArrayList<>(settings.systemPackagesExtra());
        String raw = settings.frameworkProperties().get(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA);
        if (raw != null) {
            given.add(raw);
        }
        String extra = SystemPackages.extra(given, FrameworkFactory.class.getClassLoader(), log);
        if (extra != null) {
            config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, extra);
        }
        RuntimeRole.configure(config, RuntimeRole.PARENT);
        return config;
    }

    /**
     * Whether the shell on a terminal gets Trampoline's profile: unless {@code gosh.home} is given or the working
     * folder has an {@code etc/gosh_profile}, which Gogo would read instead of its stock one.
     */
    private static boolean ownsTerminalProfile(Trampoline.Settings settings) {
        return !settings.frameworkProperties().containsKey("gosh.home")
                && !Files.exists(Path.of(System.getProperty("user.dir"), "etc", "gosh_profile"));
    }

    /** Waits for the core bundle to report that the first scan of the deploy folders has been applied. */
    private void awaitDeployFolders(Duration timeout) {
        try {
            awaitService(DEPLOY_SERVICE, null, timeout);
        } catch (TimeoutException e) {
            log.warn("The deploy folders were not scanned within " + timeout.toSeconds() + " s; going on");
        }
    }

    /** The shell's {@code exit} command, or null when this runtime has no shell. */
    ExitCommand exitCommand() {
        return exitCommand;
    }

    /** The framework's bundle context: install bundles, look up services, listen to events. */
    public BundleContext bundleContext() {
        return framework.getBundleContext();
    }

    /** The framework itself. */
    public Framework framework() {
        return framework;
    }

    /** The storage folder: framework cache, log file and runtime data. */
    public Path storage() {
        return storage.root();
    }

    /** The deploy folders being watched. */
    public List<Path> deployFolders() {
        return settings.deployFolders().stream().map(DeployFolder::folder).toList();
    }

    /**
     * Installs the jar at {@code jar} (location: its {@code file:} URI) and starts it unless it is a fragment.
     * A bundle already installed from that location is returned as it is.
     */
    public Bundle install(Path jar) throws BundleException, IOException {
        try (InputStream in = Files.newInputStream(jar)) {
            return install(jar.toAbsolutePath().normalize().toUri().toString(), in);
        }
    }

    /** Installs a bundle from {@code content} under {@code location} and starts it unless it is a fragment. */
    public Bundle install(String location, InputStream content) throws BundleException {
        Bundle bundle = bundleContext().installBundle(location, content);
        if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
            // Resolve first, without holding the bundle's lock: start() would resolve while holding it, and Felix
            // then refuses ("Unable to acquire global lock for resolve") when another thread, such as the
            // deployer, is resolving at that moment.
            framework.adapt(org.osgi.framework.wiring.FrameworkWiring.class).resolveBundles(java.util.List.of(bundle));
            bundle.start();
        }
        return bundle;
    }

    /**
     * Waits up to {@code timeout} for a service of {@code type} and returns it. The object stays valid while
     * the service is registered. {@code type} must be a class the host shares with the bundles (a JDK type,
     * a framework type, the runtime's own API, or a package named in {@link Trampoline#systemPackagesExtra}).
     *
     * @throws ClassCastException when the service is of a class of the same name that the host does not share
     *         (the message names the {@code systemPackagesExtra} entry that shares it)
     */
    public <T> T service(Class<T> type, Duration timeout) throws TimeoutException {
        return cast(type, awaitService(type.getName(), null, timeout));
    }

    /** Waits up to {@code timeout} for a service of {@code type} matching the LDAP {@code filter}. */
    public <T> T service(Class<T> type, String filter, Duration timeout) throws TimeoutException {
        return cast(type, awaitService(type.getName(), filter, timeout));
    }

    private static <T> T cast(Class<T> type, Object service) {
        if (type.isInstance(service)) {
            return type.cast(service);
        }
        String pkg = type.getPackageName();
        throw new ClassCastException("The service " + type.getName() + " implements the bundles' " + type.getSimpleName()
                + ", not the host's: share its package with Trampoline.builder().systemPackagesExtra(\"" + pkg
                + ";version=...\") (the version the bundle exports " + pkg + " at), so that both use the host's");
    }

    private Object awaitService(String className, String filter, Duration timeout) throws TimeoutException {
        BundleContext context = bundleContext();
        String ldap = "(" + Constants.OBJECTCLASS + "=" + className + ")";
        if (filter != null && !filter.isBlank()) {
            ldap = "(&" + ldap + filter + ")";
        }
        Filter f;
        try {
            f = context.createFilter(ldap);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("Invalid service filter " + filter + ": " + e.getMessage(), e);
        }
        // Track references only: a tracker that got the service would release it on close, and a service
        // factory (Configuration Admin is one) would dispose of the very object returned to the caller.
        ServiceTracker<Object, ServiceReference<Object>> tracker = new ServiceTracker<>(context, f, null) {
            @Override
            public ServiceReference<Object> addingService(ServiceReference<Object> reference) {
                return reference;
            }

            @Override
            public void removedService(ServiceReference<Object> reference, ServiceReference<Object> tracked) {
                // nothing to release: this tracker never got the service
            }
        };
        tracker.open(true);
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                ServiceReference<Object> ref = tracker.waitForService(
                        Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                Object service = ref == null ? null : context.getService(ref);
                if (service != null) {
                    return service; // held for the system bundle until the framework stops
                }
                if (System.nanoTime() >= deadline) {
                    throw new TimeoutException("No service " + ldap + " appeared within " + timeout.toMillis() + " ms");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TimeoutException("Interrupted while waiting for " + ldap);
        } finally {
            tracker.close();
        }
    }

    /** Blocks until the framework stops (by {@link #close()}, {@code stop 0} in the shell, or a bundle). */
    public void awaitStop() throws InterruptedException {
        framework.waitForStop(0);
    }

    /** Whether the framework is still running. */
    public boolean isRunning() {
        int state = framework.getState();
        return state == Bundle.ACTIVE || state == Bundle.STARTING;
    }

    /** Stops the framework and waits for it; deletes the storage folder if the builder made a temporary one. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        log.detach(); // the log sink stops with the framework
        try {
            framework.stop();
            FrameworkEvent event = framework.waitForStop(STOP_TIMEOUT.toMillis());
            if (event.getType() == FrameworkEvent.WAIT_TIMEDOUT) {
                log.warn("The framework did not stop within " + STOP_TIMEOUT.toSeconds() + " s");
            }
        } catch (BundleException e) {
            log.warn("Stopping the framework failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            storage.close();
        }
    }
}
