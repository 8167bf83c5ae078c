package dev.trampoline.runtime.internal.deploy;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

import dev.trampoline.runtime.deploy.DeployService;
import dev.trampoline.runtime.deploy.DeployedArtifact.Kind;

/**
 * Watches the deploy folders named by the {@value DeployService#DEPLOY_DIRS} framework property and keeps
 * the framework in step with them, on one thread: scan, apply a batch, wait for the next event.
 */
@Component(immediate = true)
public final class HotDeployer {

    static final String QUIET_MILLIS = "trampoline.deploy.quietMillis";
    static final String RESCAN_MILLIS = "trampoline.deploy.rescanMillis";
    static final String INCOMPLETE_MILLIS = "trampoline.deploy.incompleteMillis";
    /** How long the first scan may wait for files still being written before the runtime counts as up. */
    private static final long FIRST_SCAN_LIMIT_MILLIS = 10_000;

    @Reference(service = LoggerFactory.class)
    private Logger log;

    private volatile ConfigurationAdmin configAdmin;
    private final AtomicBoolean configAdminArrived = new AtomicBoolean();
    private final AtomicBoolean bundlesChanged = new AtomicBoolean();

    private BundleContext context;
    private FolderLevels levels;
    private List<Path> folders;
    private DeployRegistry registry;
    private FolderWatcher watcher;
    private Thread thread;
    private volatile boolean stopping;
    private ServiceRegistration<DeployService> registration;
    /** Owned by the deploy thread. */
    private BatchCondition batch;
    private final BundleListener bundleListener = this::bundleChanged;
    private final FrameworkListener frameworkListener = this::frameworkChanged;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindConfigAdmin(ConfigurationAdmin cm) {
        configAdmin = cm;
        configAdminArrived.set(true);
        wakeUp();
    }

    void unbindConfigAdmin(ConfigurationAdmin cm) {
        if (configAdmin == cm) {
            configAdmin = null;
        }
    }

    @Activate
    void activate(BundleContext context) throws IOException {
        this.context = context;
        this.levels = FolderLevels.parse(context.getProperty(DeployService.DEPLOY_DIRS),
                context.getProperty(DeployService.DEFAULT_START_LEVEL));
        this.folders = levels.folders();
        levels.problems().forEach(problem -> log.error("{}", problem));
        warnAboutLevelsNeverReached();
        for (Path folder : folders) {
            Files.createDirectories(folder);
        }
        File data = context.getDataFile("deploy-state.properties");
        registry = new DeployRegistry(data == null ? null : data.toPath());
        registry.recoverInstalledBundles(context, folders);
        if (folders.isEmpty() && registry.all().isEmpty()) {
            // Nothing to watch and nothing deployed before to reconcile (a child JVM, or an embedded runtime
            // without deploy folders): no watch service and no threads.
            register();
            return;
        }
        watcher = new FolderWatcher(folders, "trampoline-deploy-events");
        context.addBundleListener(bundleListener);
        context.addFrameworkListener(frameworkListener);
        batch = new BatchCondition(context);
        thread = new Thread(this::run, "trampoline-deploy");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * A folder whose level is above the level the framework starts at: its bundles are installed, and start only
     * when the framework's start level is raised (the launcher raises the beginning level to the highest folder's
     * unless it was given).
     */
    private void warnAboutLevelsNeverReached() {
        String given = context.getProperty(Constants.FRAMEWORK_BEGINNING_STARTLEVEL);
        int beginning;
        try {
            beginning = given == null || given.isBlank() ? 1 : Integer.parseInt(given.trim());
        } catch (NumberFormatException e) {
            beginning = 1; // Felix's reading of it
        }
        for (Path folder : folders) {
            int level = levels.levelOf(folder);
            if (level > beginning) {
                log.warn("Deploy folder {} has start level {}, above the framework's beginning start level {} ({}):"
                        + " its bundles are installed but start only once the start level is raised; set {}={}"
                        + " (or leave it unset), or give the folder a lower level", folder, level, beginning,
                        Constants.FRAMEWORK_BEGINNING_STARTLEVEL, Constants.FRAMEWORK_BEGINNING_STARTLEVEL, level);
            }
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException, IOException {
        stopping = true;
        if (thread != null) {
            context.removeBundleListener(bundleListener);
            context.removeFrameworkListener(frameworkListener);
            watcher.close();
            thread.interrupt();
            // Bounded: if deactivation comes from a refresh this thread is waiting for, waiting forever would
            // deadlock.
            thread.join(5_000);
        }
        synchronized (this) {
            if (registration != null) {
                try {
                    registration.unregister();
                } catch (IllegalStateException alreadyGone) {
                    // unregistered with the bundle
                }
                registration = null;
            }
        }
    }

    private void wakeUp() {
        FolderWatcher w = watcher;
        if (w != null) {
            w.wakeUp();
        }
    }

    private void bundleChanged(BundleEvent event) {
        int type = event.getType();
        if (type == BundleEvent.INSTALLED || type == BundleEvent.UNINSTALLED || type == BundleEvent.UPDATED) {
            bundlesChanged.set(true);
            wakeUp();
        }
    }

    private void frameworkChanged(FrameworkEvent event) {
        if (event.getType() == FrameworkEvent.STARTED) {
            wakeUp();
        }
    }

    /**
     * Whether the framework has finished starting: until then it is still starting the bundles it resumes
     * from its cache, and the deployer leaves them to it rather than resolve and start alongside it.
     */
    private boolean frameworkStarted() {
        return context.getBundle(0).getState() == Bundle.ACTIVE;
    }

    private void run() {
        long quiet = longProperty(QUIET_MILLIS, 50);
        long rescan = longProperty(RESCAN_MILLIS, 2_000);
        FolderScanner scanner = new FolderScanner(folders, registry, quiet,
                longProperty(INCOMPLETE_MILLIS, Math.max(3_000, quiet * 20)));
        BundleDeployer bundles = new BundleDeployer(context, registry, levels, log);
        ConfigDeployer configs = new ConfigDeployer(registry, log);
        bundles.applyFolderLevels();
        long started = System.currentTimeMillis();
        // The starts the previous run still owed (killed mid-batch, or a bundle unresolved then) are carried
        // out once the framework has started, whether or not anything changes in the meantime.
        boolean owedStartsResumed = false;
        while (!stopping) {
            try {
                if (configAdminArrived.getAndSet(false)) {
                    ConfigurationAdmin cm = configAdmin;
                    if (cm != null) {
                        configs.deleteOrphans(cm, folders);
                    }
                    registry.ofKind(Kind.CONFIGURATION).forEach(t -> t.handledStamp = null);
                }
                FolderScanner.Result result = scanner.scan(System.currentTimeMillis());
                apply(result, bundles, configs);
                if (!owedStartsResumed && frameworkStarted()) {
                    owedStartsResumed = true;
                    bundlesChanged.set(true);
                }
                if (bundlesChanged.getAndSet(false)) {
                    if (bundles.hasPendingStarts()) {
                        batch.begin();
                        try {
                            bundles.startPending();
                        } finally {
                            batch.end();
                        }
                    }
                    bundles.saveState();
                }
                boolean firstScanDone = owedStartsResumed && !result.pending();
                if (registration == null
                        && (firstScanDone || System.currentTimeMillis() - started > FIRST_SCAN_LIMIT_MILLIS)) {
                    register();
                }
                watcher.await(result.pending() ? Math.max(10, quiet / 2) : rescan);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (stopping) {
                    return;
                }
                // One bad cycle must not end hot deploy for the life of the runtime.
                log.error("Hot deploy cycle failed; retrying", e);
                sleepQuietly(rescan);
            }
        }
    }

    private void apply(FolderScanner.Result result, BundleDeployer bundles, ConfigDeployer configs) {
        if (result.isEmpty()) {
            return;
        }
        ConfigurationAdmin cm = configAdmin;
        List<FolderScanner.Ready> jars = new ArrayList<>();
        List<TrackedFile> removedJars = new ArrayList<>();
        for (TrackedFile t : result.removed()) {
            if (t.kind == Kind.CONFIGURATION) {
                configs.remove(cm, t);
            } else {
                removedJars.add(t);
            }
        }
        for (FolderScanner.Ready r : result.ready()) {
            if (r.kind() == Kind.CONFIGURATION) {
                configs.apply(cm, r);
            } else {
                jars.add(r);
            }
        }
        for (FolderScanner.Rejected r : result.rejected()) {
            TrackedFile t = registry.getOrCreate(r.file(), r.kind());
            t.handledStamp = r.stamp();
            if (!r.reason().equals(t.error)) {
                log.error("{}: {}; it is retried when the file changes", r.file(), r.reason());
            }
            t.error = r.reason();
        }
        if (!jars.isEmpty() || !removedJars.isEmpty()) {
            batch.begin();
            try {
                bundles.apply(jars, removedJars);
            } finally {
                batch.end();
            }
        }
        bundles.saveState();
    }

    private synchronized void register() {
        if (!stopping) {
            registration = context.registerService(DeployService.class, new DeployStatus(context, levels, registry),
                    new Hashtable<>());
        }
    }

    private long longProperty(String name, long defaultValue) {
        String value = context.getProperty(name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            log.warn("Framework property {}={} is not a number; using {}", name, value, defaultValue);
            return defaultValue;
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
