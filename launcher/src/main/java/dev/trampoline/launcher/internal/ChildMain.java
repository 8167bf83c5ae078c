package dev.trampoline.launcher.internal;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.felix.framework.FrameworkFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.startlevel.BundleStartLevel;

/**
 * The trampoline: the entry point of a child JVM. It boots its own framework in a private folder, installs
 * the bundles of the parent's snapshot from the content-addressed store (each verified against its SHA-256),
 * starts those the parent runs, and only then hands its stdin/stdout to the remote-execution bundle, which
 * reads and answers calls. Nothing else may write to stdout: plugin output goes to stderr.
 * <p>
 * Started with {@code --spare}, it first waits for those arguments on its channel (see {@link SpareChild}).
 * <p>
 * Exit codes: 0 after the channel closed and the framework stopped; 3 if the snapshot cannot be installed.
 */
public final class ChildMain {

    static final int BOOT_FAILED = 3;

    private ChildMain() {
    }

    public static void main(String[] args) {
        // The channel is the real stdout; System.out is pointed at stderr before any plugin code runs.
        OutputStream channelOut = new FileOutputStream(FileDescriptor.out);
        InputStream channelIn = new FileInputStream(FileDescriptor.in);
        PrintStream stderr = new PrintStream(new FileOutputStream(FileDescriptor.err), true);
        System.setOut(stderr);
        System.setIn(InputStream.nullInputStream());
        Path storage = null;
        try {
            BootWarmUp.start();
            if (args.length > 0 && args[0].equals(SpareChild.FLAG)) {
                args = SpareChild.awaitArguments(args, channelIn);
                if (args == null) {
                    System.exit(0); // never needed
                }
            }
            Map<String, String> options = parse(args);
            storage = Path.of(options.get("--storage"));
            ParentWatchdog watchdog = ParentWatchdog.start(stderr, storage, options.get("--parent"));
            Boot boot = boot(Path.of(options.get("--snapshot")), storage, watchdog);
            Framework framework = boot.framework();
            watchdog.booted(framework);
            BundleContext context = framework.getBundleContext();
            ComponentMetadataCache componentMetadata = null;
            if (boot.fromPrepared()) {
                componentMetadata = new ComponentMetadataCache();
                componentMetadata.watch(context);
            }
            // The agent in the remote-execution bundle wakes up when these appear.
            context.registerService(InputStream.class, channelIn, props("in"));
            context.registerService(OutputStream.class, channelOut, props("out"));
            framework.waitForStop(0);
            watchdog.leaving();
            if (componentMetadata != null) {
                componentMetadata.keep(boot.cache(), boot.prepared());
            }
            // The parent deletes this folder too, unless it died: then only the child is left to do it.
            Storage.deleteTree(storage);
            System.exit(0);
        } catch (Exception e) {
            stderr.println("trampoline child: cannot start: " + e.getMessage());
            if (storage != null) {
                Storage.deleteTree(storage);
            }
            System.exit(BOOT_FAILED);
        }
    }

    private static Hashtable<String, Object> props(String channel) {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("trampoline.channel", channel);
        return p;
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        for (String required : List.of("--snapshot", "--storage")) {
            if (!options.containsKey(required)) {
                throw new IllegalArgumentException("missing " + required);
            }
        }
        return options;
    }

    /**
     * A booted child: its framework, the folder the framework keeps its cache in, its snapshot's prepared cache,
     * and whether the framework was loaded from that prepared cache (rather than installed from the store).
     */
    record Boot(Framework framework, Path cache, PreparedCache prepared, boolean fromPrepared) {
    }

    static Boot boot(Path snapshotFile, Path storage, ParentWatchdog watchdog)
            throws IOException, BundleException, InterruptedException {
        long t0 = System.nanoTime();
        Properties snapshot = new Properties();
        try (InputStream in = Files.newInputStream(snapshotFile)) {
            snapshot.load(in);
        }
        Path store = Path.of(snapshot.getProperty("store"));
        Map<String, Object> config = new HashMap<>();
        for (String key : snapshot.stringPropertyNames()) {
            if (key.startsWith("framework.")) {
                config.put(key.substring("framework.".length()), snapshot.getProperty(key));
            }
        }
        Path cache = storage.resolve("cache");
        config.put(Constants.FRAMEWORK_STORAGE, cache.toString());
        config.put("felix.resolver.parallelism", "1");
        config.put("trampoline.child", "true");
        config.put("trampoline.child.store", store.toString()); // calls of the child's own use its parent's store
        config.put("trampoline.deploy.dirs", ""); // the parent alone watches deploy folders
        config.put("trampoline.log.console", "true"); // stderr, which the parent logs with this child's pid
        config.put("gosh.args", "--nointeractive --noshutdown");
        ComponentMetadataCache.enable(config);

        PreparedCache prepared = new PreparedCache(store, snapshot.getProperty("hash", ""));
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
                booted.stop();
                booted.waitForStop(10_000);
                booted = null;
            }
            Storage.deleteTree(cache);
        }
        String cacheSource = booted == null ? "installed" : "prepared";
        String installedRecord;
        long t1 = System.nanoTime();
        long t2 = t1;
        try {
            if (booted == null) {
                config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
                booted = new FrameworkFactory().newFramework(config);
                booted.init();
                t1 = System.nanoTime();
                bundles = install(booted.getBundleContext(), snapshot, store, watchdog);
                prepared.saveFrom(cache); // before any bundle starts and writes to its data folder
                t2 = System.nanoTime();
            }
            installedRecord = installedRecord(bundles, snapshot);
            watchdog.stopIfParentGone();
            booted.start();
            for (int i = 0; i < bundles.length; i++) {
                if (Boolean.parseBoolean(snapshot.getProperty("bundle." + i + ".start"))) {
                    watchdog.stopIfParentGone();
                    bundles[i].start(Bundle.START_TRANSIENT);
                }
            }
        } catch (IOException | BundleException | RuntimeException e) {
            if (booted != null) { // stopped before the caller deletes its folder: its threads write there
                try {
                    booted.stop();
                    booted.waitForStop(10_000);
                } catch (BundleException | RuntimeException stopFailed) {
                    e.addSuppressed(stopFailed);
                }
            }
            throw e;
        }
        long t3 = System.nanoTime();
        System.setProperty("trampoline.child.snapshot", snapshotFile.toString());
        System.setProperty("trampoline.child.installed", installedRecord);
        System.setProperty("trampoline.child.phases", "init=" + (t1 - t0) / 1_000_000 + "ms;install="
                + (t2 - t1) / 1_000_000 + "ms;start=" + (t3 - t2) / 1_000_000 + "ms;cache=" + cacheSource);
        return new Boot(booted, cache, prepared, cacheSource.equals("prepared"));
    }

    /**
     * Which stored copy each bundle was installed from, before any bundle starts: {@code id=sha256@lastModified}
     * per bundle, comma-separated. Should the child make calls of its own, its bundle-set tracker takes these
     * hashes for every bundle not modified since (reading and hashing each bundle again would cost a cold child
     * a few hundred milliseconds).
     */
    private static String installedRecord(Bundle[] bundles, Properties snapshot) {
        StringBuilder record = new StringBuilder();
        for (int i = 0; i < bundles.length; i++) {
            record.append(i == 0 ? "" : ",").append(bundles[i].getBundleId()).append('=')
                    .append(snapshot.getProperty("bundle." + i + ".sha256")).append('@')
                    .append(bundles[i].getLastModified());
        }
        return record.toString();
    }

    /** Installs the snapshot's bundles from the content-addressed store, each checked against its hash. */
    private static Bundle[] install(BundleContext context, Properties snapshot, Path store, ParentWatchdog watchdog)
            throws IOException, BundleException {
        int count = Integer.parseInt(snapshot.getProperty("bundle.count", "0"));
        Bundle[] bundles = new Bundle[count];
        for (int i = 0; i < count; i++) {
            watchdog.stopIfParentGone();
            String k = "bundle." + i + ".";
            String sha = snapshot.getProperty(k + "sha256");
            byte[] content = Files.readAllBytes(store.resolve(sha + ".jar"));
            String actual = RuntimeBundles.sha256(content);
            if (!actual.equals(sha)) {
                throw new IOException("the stored copy of " + snapshot.getProperty(k + "symbolicName")
                        + " does not match its hash (" + sha + " expected, " + actual + " found)");
            }
            bundles[i] = context.installBundle(snapshot.getProperty(k + "location"),
                    new java.io.ByteArrayInputStream(content));
            bundles[i].adapt(BundleStartLevel.class).setStartLevel(
                    Integer.parseInt(snapshot.getProperty(k + "startLevel", "1")));
        }
        return bundles;
    }

    /**
     * The bundles the framework loaded from a prepared cache, in the snapshot's order, or null unless they are
     * exactly the snapshot's: the same count, and at each place the same location, symbolic name and version.
     * (The cache's name is the snapshot's hash, which covers every bundle's content.)
     */
    static Bundle[] loadedFromCache(BundleContext context, Properties snapshot) {
        int count = Integer.parseInt(snapshot.getProperty("bundle.count", "0"));
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
            String k = "bundle." + i + ".";
            Bundle b = loaded[i];
            if (b == null || !b.getLocation().equals(snapshot.getProperty(k + "location"))
                    || !String.valueOf(b.getSymbolicName()).equals(snapshot.getProperty(k + "symbolicName"))
                    || !b.getVersion().toString().equals(snapshot.getProperty(k + "version"))
                    || b.adapt(BundleStartLevel.class).getStartLevel()
                            != Integer.parseInt(snapshot.getProperty(k + "startLevel", "1"))) {
                return null;
            }
        }
        return loaded;
    }
}
