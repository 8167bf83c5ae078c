package dev.trampoline.launcher.internal.child;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.felix.framework.FrameworkFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.util.tracker.ServiceTracker;

import dev.trampoline.launcher.internal.RuntimeRole;
import dev.trampoline.launcher.internal.Storage;
import dev.trampoline.runtime.contract.internal.ChildProperties;
import dev.trampoline.runtime.contract.internal.ContentHash;
import dev.trampoline.runtime.contract.internal.InstalledRecord;
import dev.trampoline.runtime.contract.internal.SnapshotFile;
import dev.trampoline.runtime.contract.internal.StoreLayout;

/**
 * A child's boot, in two steps: {@link #prepare} (its framework initialized from its snapshot, the bundles
 * loaded from the snapshot's prepared cache or installed from the content-addressed store, each verified
 * against its SHA-256, none started) and {@link #start} (the framework started, and the bundles the parent
 * runs). A spare JVM prepares ahead, before it is handed the snapshot it will run (see {@link SpareChild}).
 */
final class ChildBoot {

    /**
     * The service the runtime registers once it has applied the configurations the parent wrote for this child
     * (see {@link ChildProperties#CONFIGURATIONS}); the plugin bundles start after that.
     */
    private static final String CONFIGURED_FILTER = "(" + ChildProperties.CONFIGURATIONS + "="
            + ChildProperties.CONFIGURATIONS_APPLIED + ")";
    /** How long the runtime's bundles may take to apply the configurations before the boot fails. */
    private static final long CONFIGURED_WAIT_MILLIS = 30_000;

    private ChildBoot() {
    }

    /**
     * A booted child: its framework, the folder the framework keeps its cache in, its snapshot's prepared cache,
     * and whether the framework was loaded from that prepared cache (rather than installed from the store).
     */
    record Boot(Framework framework, Path cache, PreparedCache prepared, boolean fromPrepared) {
    }

    /**
     * A child's framework initialized with its snapshot's bundles, none started: which copy each was installed
     * from (recorded before any starts), and how long the steps took.
     */
    record Prepared(Path snapshotFile, SnapshotFile snapshot, Framework framework, Bundle[] bundles, Path cache,
            PreparedCache prepared, boolean fromPrepared, String installedRecord, long initNanos,
            long installNanos) {
    }

    /** Prepares and starts: the child's whole boot. {@code runtimeOnly}: start no plugin bundle. */
    static Boot boot(Path snapshotFile, Path storage, ParentWatchdog watchdog, boolean runtimeOnly)
            throws IOException, BundleException, InterruptedException {
        return start(prepare(snapshotFile, storage, watchdog), watchdog, false, runtimeOnly);
    }

    /**
     * The framework of {@code snapshotFile} in {@code storage}, initialized with the snapshot's bundles, none
     * started. {@code watchdog} (null for a spare, whose parent ending ends its channel) is asked before each
     * install. On failure the framework is stopped, and the caller deletes the folder.
     */
    static Prepared prepare(Path snapshotFile, Path storage, ParentWatchdog watchdog)
            throws IOException, BundleException, InterruptedException {
        long t0 = System.nanoTime();
        SnapshotFile snapshot = SnapshotFile.read(snapshotFile);
        Path store = snapshot.store();
        Map<String, Object> config = frameworkProperties(snapshot);
        RuntimeRole.configure(config, RuntimeRole.CHILD); // what it inherited, for children of its own
        Path cache = StoreLayout.childCache(storage);
        config.put(Constants.FRAMEWORK_STORAGE, cache.toString());
        config.put("felix.resolver.parallelism", "1");
        config.put(ChildProperties.IN_CHILD, "true");
        config.put(ChildProperties.STORE, store.toString()); // calls of the child's own use its parent's store
        config.put("trampoline.deploy.dirs", ""); // the parent alone watches deploy folders
        config.put("trampoline.log.console", "true"); // stderr, which the parent logs with this child's pid
        config.put("gosh.args", "--nointeractive --noshutdown");
        config.put(ChildProperties.CONFIGURATIONS, StoreLayout.childConfigurations(storage).toString());
        ComponentMetadataCache.enable(config);

        PreparedCache prepared = new PreparedCache(store, snapshot.hash());
        Framework booted = null;
        Bundle[] bundles = null;
        PreparedCache.Restore restore = prepared.restoreInBackground(cache);
        if (restore != null) {
            try {
                // Constructing the framework reads no cache: it runs beside the copy, on the other core.
                Framework candidate = new FrameworkFactory().newFramework(config);
                if (restore.await()) {
                    booted = candidate;
                    booted.init();
                    bundles = loadedFromCache(booted.getBundleContext(), snapshot);
                }
            } catch (BundleException | RuntimeException e) {
                bundles = null; // unreadable: installing from the store does not depend on it
            } finally {
                restore.await(); // the folder may be deleted next: never while the copy writes into it
            }
        }
        if (bundles == null) { // not exactly the snapshot's bundles: start over and install them
            if (booted != null) {
                booted.stop(); // a framework that does not stop must not share the folder with the next one
                booted.waitForStop(10_000);
                booted = null;
            }
            Storage.deleteTree(cache);
        }
        boolean fromPrepared = booted != null;
        long t1 = System.nanoTime();
        long t2 = t1;
        try {
            if (booted == null) {
                config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
                booted = new FrameworkFactory().newFramework(config);
                booted.init();
                t1 = System.nanoTime();
                bundles = install(booted.getBundleContext(), snapshot, watchdog);
                prepared.saveFrom(cache); // before any bundle starts and writes to its data folder
                t2 = System.nanoTime();
            }
            return new Prepared(snapshotFile, snapshot, booted, bundles, cache, prepared, fromPrepared,
                    installedRecord(bundles, snapshot), t1 - t0, t2 - t1);
        } catch (IOException | BundleException | RuntimeException | LinkageError e) {
            stopQuietly(booted, e); // stopped before the caller deletes its folder: its threads write there
            throw e;
        }
    }

    /** The framework properties a snapshot names, for a framework that runs its bundles (to add to). */
    static Map<String, Object> frameworkProperties(SnapshotFile snapshot) {
        return new HashMap<>(snapshot.frameworkProperties());
    }

    /**
     * Starts a prepared framework and the bundles the parent runs, and records the snapshot, the installed
     * copies and the boot's phases as system properties, for the runtime's bundles in this child to read.
     * {@code ahead}: whether it was prepared ahead by a spare (its preparation then took none of this boot).
     */
    static Boot start(Prepared p, ParentWatchdog watchdog, boolean ahead, boolean runtimeOnly)
            throws IOException, BundleException {
        long t2 = System.nanoTime();
        try {
            watchdog.stopIfParentGone();
            RuntimeRole.registerCondition(p.framework().getBundleContext(), RuntimeRole.CHILD);
            // Written by the parent before this child was started (or handed its arguments, for a spare).
            boolean configurations = Files.exists(StoreLayout.childConfigurations(p.cache().getParent()));
            p.framework().start();
            int[] order = startOrder(p.snapshot());
            // The runtime's own bundles first (whatever the parent's history, say one restarted after plugins),
            // then the plugins, with the parent's configurations applied: each in the order the parent started it.
            startAll(p, order, true, watchdog);
            if (!runtimeOnly) { // the training child: plugins are resolved below, their code does not run
                if (configurations) {
                    awaitConfigurations(p.framework().getBundleContext());
                }
                startAll(p, order, false, watchdog);
            }
            resolveHeldBack(p.framework(), p.bundles(), p.snapshot());
        } catch (IOException | BundleException | RuntimeException e) {
            stopQuietly(p.framework(), e);
            throw e;
        }
        long t3 = System.nanoTime();
        String cacheSource = p.fromPrepared() ? "prepared" : "installed";
        System.setProperty(ChildProperties.SNAPSHOT, p.snapshotFile().toString());
        System.setProperty(ChildProperties.INSTALLED, p.installedRecord());
        System.setProperty(ChildProperties.PHASES, (ahead ? "init=0ms;install=0ms;" : "init="
                + p.initNanos() / 1_000_000 + "ms;install=" + p.installNanos() / 1_000_000 + "ms;") + "start="
                + (t3 - t2) / 1_000_000 + "ms;cache=" + cacheSource + (ahead ? ";spare=prepared ahead in "
                + (p.initNanos() + p.installNanos()) / 1_000_000 + "ms" : ""));
        return new Boot(p.framework(), p.cache(), p.prepared(), p.fromPrepared());
    }

    /** Starts, in {@code order}, the bundles the snapshot starts: the runtime's own, or the plugins. */
    private static void startAll(Prepared p, int[] order, boolean runtime, ParentWatchdog watchdog)
            throws BundleException, IOException {
        for (int i : order) {
            SnapshotFile.Entry e = p.snapshot().bundles().get(i);
            Bundle b = p.bundles()[i];
            if (b.getLocation().startsWith(SnapshotFile.RUNTIME_LOCATION_PREFIX) != runtime || !e.start()) {
                continue;
            }
            watchdog.stopIfParentGone();
            // A lazy bundle stays lazy: it waits in STARTING for its first class load, as in the parent.
            int options = Bundle.START_TRANSIENT | (e.lazy() ? Bundle.START_ACTIVATION_POLICY : 0);
            if (runtime) {
                b.start(options); // without the runtime's bundles no call can be served: the boot fails
            } else {
                startPlugin(b, options);
            }
        }
    }

    /**
     * The snapshot's places in the order the parent started its bundles (each entry's start order; ties keep
     * install order). An insertion sort: no lambda classes to load in a booting child.
     */
    static int[] startOrder(SnapshotFile snapshot) {
        int count = snapshot.bundles().size();
        int[] places = new int[count];
        int[] ranks = new int[count];
        for (int i = 0; i < count; i++) {
            int rank = snapshot.bundles().get(i).startOrder();
            int j = i;
            for (; j > 0 && ranks[j - 1] > rank; j--) {
                places[j] = places[j - 1];
                ranks[j] = ranks[j - 1];
            }
            places[j] = i;
            ranks[j] = rank;
        }
        return places;
    }

    /**
     * Starts a plugin bundle. One whose start fails does not fail the child, which may serve calls on the other
     * bundles: the failure is logged, and a call for a service of that bundle fails naming it.
     */
    private static void startPlugin(Bundle b, int options) {
        try {
            b.start(options);
        } catch (BundleException | RuntimeException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            System.setProperty(ChildProperties.START_FAILURE_PREFIX + b.getBundleId(), cause.toString());
            System.err.println("trampoline child: bundle " + b.getSymbolicName() + " " + b.getVersion() + " ["
                    + b.getBundleId() + "] did not start: " + cause);
        }
    }

    /**
     * Resolves the bundles the parent runs that the child policy keeps from starting here (an entry's resolve),
     * so that they are as the parent has them: wired, their classes ready to load. (Others a child does not start
     * resolve when a class of theirs is first loaded, as in any framework.)
     */
    private static void resolveHeldBack(Framework framework, Bundle[] bundles, SnapshotFile snapshot) {
        List<Bundle> installed = new ArrayList<>();
        for (int i = 0; i < bundles.length; i++) {
            if (bundles[i].getState() == Bundle.INSTALLED && snapshot.bundles().get(i).resolve()) {
                installed.add(bundles[i]);
            }
        }
        if (!installed.isEmpty()) {
            framework.adapt(org.osgi.framework.wiring.FrameworkWiring.class).resolveBundles(installed);
        }
    }

    /** Waits until the runtime has applied the parent's configurations (see {@link #CONFIGURED_FILTER}). */
    private static void awaitConfigurations(BundleContext context) throws BundleException {
        ServiceTracker<Object, Object> applied;
        try {
            applied = new ServiceTracker<>(context, context.createFilter(CONFIGURED_FILTER), null);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        applied.open(true);
        try {
            if (applied.waitForService(CONFIGURED_WAIT_MILLIS) == null) {
                throw new BundleException("The parent's configurations were not applied within "
                        + CONFIGURED_WAIT_MILLIS + " ms: is Configuration Admin running in the child? See its log");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BundleException("interrupted while the parent's configurations were applied", e);
        } finally {
            applied.close();
        }
    }

    /** Stops a prepared framework that will not be started, and deletes its cache. */
    static void discard(Prepared p) {
        stopQuietly(p.framework(), null);
        Storage.deleteTree(p.cache());
    }

    private static void stopQuietly(Framework framework, Throwable cause) {
        if (framework == null) {
            return;
        }
        try {
            framework.stop();
            framework.waitForStop(10_000);
        } catch (BundleException | RuntimeException | InterruptedException stopFailed) {
            if (stopFailed instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (cause != null) {
                cause.addSuppressed(stopFailed);
            }
        }
    }

    /**
     * Which stored copy each bundle was installed from, before any bundle starts (see {@link InstalledRecord}).
     * Should the child make calls of its own, its bundle-set tracker takes these hashes for every bundle not
     * modified since (reading and hashing each bundle again would cost a cold child a few hundred milliseconds).
     */
    private static String installedRecord(Bundle[] bundles, SnapshotFile snapshot) {
        List<InstalledRecord.Item> items = new ArrayList<>(bundles.length);
        for (int i = 0; i < bundles.length; i++) {
            items.add(new InstalledRecord.Item(bundles[i].getBundleId(), snapshot.bundles().get(i).sha256(),
                    bundles[i].getLastModified()));
        }
        return InstalledRecord.format(items);
    }

    /** Installs the snapshot's bundles from the content-addressed store, each checked against its hash. */
    private static Bundle[] install(BundleContext context, SnapshotFile snapshot, ParentWatchdog watchdog)
            throws IOException, BundleException {
        int count = snapshot.bundles().size();
        Bundle[] bundles = new Bundle[count];
        for (int i = 0; i < count; i++) {
            if (watchdog != null) {
                watchdog.stopIfParentGone();
            }
            SnapshotFile.Entry e = snapshot.bundles().get(i);
            byte[] content = Files.readAllBytes(snapshot.jar(e));
            String actual = ContentHash.sha256(content);
            if (!actual.equals(e.sha256())) {
                throw new IOException("the stored copy of " + e.symbolicName() + " does not match its hash ("
                        + e.sha256() + " expected, " + actual + " found)");
            }
            bundles[i] = context.installBundle(e.location(), new java.io.ByteArrayInputStream(content));
            bundles[i].adapt(BundleStartLevel.class).setStartLevel(e.startLevel());
        }
        return bundles;
    }

    /**
     * The bundles the framework loaded from a prepared cache, in the snapshot's order, or null unless they are
     * exactly the snapshot's: the same count, and at each place the same location, symbolic name and version.
     * (The cache's name is the snapshot's hash, which covers every bundle's content.)
     */
    static Bundle[] loadedFromCache(BundleContext context, SnapshotFile snapshot) {
        int count = snapshot.bundles().size();
        // The cache was made by installing the snapshot's bundles in order into an empty framework: the bundle
        // at place i has id i + 1. (A plain loop: streams cost a booting child's main thread a few ms to load.)
        Bundle[] all = context.getBundles();
        if (all.length != count + 1) {
            return null;
        }
        Bundle[] loaded = new Bundle[count];
        for (Bundle b : all) {
            long place = b.getBundleId() - 1;
            if (place >= 0 && place < count) {
                loaded[(int) place] = b;
            }
        }
        for (int i = 0; i < count; i++) {
            SnapshotFile.Entry e = snapshot.bundles().get(i);
            Bundle b = loaded[i];
            if (b == null || !b.getLocation().equals(e.location())
                    || !String.valueOf(b.getSymbolicName()).equals(e.symbolicName())
                    || !b.getVersion().toString().equals(e.version())
                    || b.adapt(BundleStartLevel.class).getStartLevel() != e.startLevel()) {
                return null;
            }
        }
        return loaded;
    }
}
