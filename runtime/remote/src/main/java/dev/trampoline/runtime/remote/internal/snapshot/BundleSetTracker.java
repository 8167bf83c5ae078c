package dev.trampoline.runtime.remote.internal.snapshot;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

import dev.trampoline.runtime.contract.internal.ChildProperties;
import dev.trampoline.runtime.contract.internal.StoreLayout;
import dev.trampoline.runtime.remote.internal.thread.Daemons;

/**
 * Keeps a content-addressed copy of the revision every bundle runs, captured when it is installed or updated
 * (so a child gets that revision even if the file it came from has changed or gone since), and makes the
 * snapshot a child is started from.
 */
@Component(service = BundleSetTracker.class)
public final class BundleSetTracker {

    private RevisionCapture capture;
    /** The last snapshot, valid until the next bundle event: calls take it without walking the bundles. */
    private volatile BundleSnapshot current;
    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();
    private final Map<String, Path> written = new ConcurrentHashMap<>();
    /** Storing (read side, many at once) against collecting the store's garbage (write side). */
    private final java.util.concurrent.locks.ReadWriteLock storeLock = new java.util.concurrent.locks.ReentrantReadWriteLock();
    private final List<Runnable> changeListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final SynchronousBundleListener invalidator = event -> {
        recordStart(event);
        invalidate();
    };
    /**
     * When each bundle started here, as a sequence number (its first STARTING or LAZY_ACTIVATION event since it
     * last stopped): a child starts the bundles in this order. Bundles that ran before this tracker are numbered
     * by bundle id, the order the framework starts them in at one start level.
     */
    private final Map<Long, Long> startSequence = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong starts = new java.util.concurrent.atomic.AtomicLong();

    private void recordStart(BundleEvent event) {
        long id = event.getBundle().getBundleId();
        switch (event.getType()) {
            case BundleEvent.STARTING, BundleEvent.LAZY_ACTIVATION ->
                    startSequence.computeIfAbsent(id, k -> starts.incrementAndGet());
            case BundleEvent.STOPPED, BundleEvent.UNINSTALLED -> startSequence.remove(id);
            default -> {
            }
        }
    }
    /** The framework's start level is part of the snapshot: a child starts what the parent runs at it. */
    private final FrameworkListener startLevelWatcher = event -> {
        if (event.getType() == FrameworkEvent.STARTLEVEL_CHANGED) {
            invalidate();
        }
    };

    private void invalidate() {
        generation.incrementAndGet();
        current = null;
        changeListeners.forEach(Runnable::run);
    }

    /**
     * How many changes of the bundle set this tracker has seen: read before {@link #snapshot()}, it says the
     * snapshot is at least that recent.
     */
    public long generation() {
        return generation.get();
    }

    /** Runs {@code listener} (on the framework's event thread: it must be quick) after every bundle event. */
    public void onChange(Runnable listener) {
        changeListeners.add(listener);
    }

    public void removeOnChange(Runnable listener) {
        changeListeners.remove(listener);
    }
    @Reference(service = LoggerFactory.class)
    private Logger log;
    private BundleContext context;
    /** Whether this runtime is a child JVM, which started its bundles transiently. */
    private boolean inChild;
    private ChildStartPolicy startPolicy;
    private ContentStore store;
    /** False in a child that shares its parent's store: it adds to it, and leaves collecting to the parent. */
    private boolean ownsStore;
    private ExecutorService capturer;
    private final SynchronousBundleListener listener = this::bundleChanged;

    @Activate
    void activate(BundleContext context) throws IOException {
        this.context = context;
        inChild = Boolean.parseBoolean(context.getProperty(ChildProperties.IN_CHILD));
        startPolicy = new ChildStartPolicy(context.getProperty(ChildStartPolicy.PROPERTY));
        String parentStore = inChild ? context.getProperty(ChildProperties.STORE) : null;
        if (parentStore != null) {
            // A child's bundles are its parent's, already in the parent's store: its own children find them there,
            // with the prepared framework cache and the class-data archive beside them, instead of an empty store
            // in the child's temporary folder (every bundle copied again, no prepared cache, an archive trained
            // anew by every child that makes calls).
            store = new ContentStore(Path.of(parentStore));
            capture = new RevisionCapture(store, storeLock, null, log);
            ParentStore.bootedRevisions(context).forEach(capture::known);
        } else {
            File data = context.getDataFile("store");
            store = new ContentStore(data == null ? Files.createTempDirectory("trampoline-store") : data.toPath());
        }
        ownsStore = parentStore == null;
        if (ownsStore) {
            capture = new RevisionCapture(store, storeLock, inChild ? null : CaptureIndex.in(store.root()), log);
            if (!inChild) {
                Bundle[] bundles = context.getBundles();
                log.debug("Bundle copies for children: {} of {} known from the last run, the rest captured again",
                        capture.knownFromIndex(bundles), bundles.length - 1);
            }
        }
        capturer = Executors.newSingleThreadExecutor(Daemons.named("trampoline-capture"));
        context.addBundleListener(invalidator); // first: a bundle starting meanwhile keeps its place
        for (Bundle b : context.getBundles()) { // in id order
            if (b.getState() == Bundle.ACTIVE || b.getState() == Bundle.STARTING) {
                startSequence.computeIfAbsent(b.getBundleId(), k -> starts.incrementAndGet());
            }
        }
        context.addFrameworkListener(startLevelWatcher);
        // A child captures only if it is asked for a snapshot itself: eager copies would slow every child start.
        if (!inChild) {
            context.addBundleListener(listener);
            for (Bundle b : context.getBundles()) {
                if (b.getBundleId() != 0) {
                    capturer.execute(() -> captureQuietly(b));
                }
            }
            capturer.execute(this::collectGarbage); // after the captures: they say which jars are installed
        }
    }

    /** Removes store files no snapshot kept and no installed bundle needs (see {@link StoreCollector}). */
    private void collectGarbage() {
        if (!ownsStore) {
            return; // the parent's store: only the parent knows what its snapshots and children still need
        }
        storeLock.writeLock().lock(); // no jar or snapshot is being stored, or taken as stored, meanwhile
        try {
            Set<String> installed = capture.installedHashes();
            BundleSnapshot now = current;
            StoreCollector.Result r = StoreCollector.collect(store, installed,
                    now == null ? Set.of() : Set.of(now.hash()), java.time.Instant.now());
            written.keySet().removeAll(r.removedSnapshots()); // written again if they are needed again
            if (r.snapshots() + r.jars() > 0) {
                log.debug("Content store: removed {} snapshot(s) and {} jar(s) no longer needed ({} bytes)",
                        r.snapshots(), r.jars(), r.bytes());
            }
        } catch (IOException | RuntimeException e) {
            log.warn("Could not clean up the content store {}: {}", store.root(), e.toString());
        } finally {
            storeLock.writeLock().unlock();
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        context.removeBundleListener(listener);
        context.removeBundleListener(invalidator);
        context.removeFrameworkListener(startLevelWatcher);
        capturer.shutdownNow();
        capturer.awaitTermination(5, TimeUnit.SECONDS);
    }

    public ContentStore store() {
        return store;
    }

    private void bundleChanged(BundleEvent event) {
        Bundle b = event.getBundle();
        switch (event.getType()) {
            case BundleEvent.INSTALLED, BundleEvent.UPDATED -> capturer.execute(() -> captureQuietly(b));
            case BundleEvent.UNINSTALLED -> {
                capture.uninstalled(b.getBundleId());
                capturer.execute(() -> capture.forgetRecorded(b.getBundleId()));
            }
            default -> {
            }
        }
    }

    private void captureQuietly(Bundle b) {
        try {
            capture.shaOf(b);
        } catch (SnapshotException e) {
            // a snapshot that needs this bundle reports it
        }
    }

    /**
     * Whether a bundle is starting or stopping right now (its activator running), or the hot deployer is
     * applying a batch, so that the bundle set is about to change again. A bundle waiting in STARTING for its
     * first class load (lazy activation) is not.
     */
    public boolean inTransition() {
        if (deployBatchInProgress()) {
            return true;
        }
        for (Bundle b : context.getBundles()) {
            int state = b.getState();
            if (state == Bundle.STOPPING || state == Bundle.STARTING && !waitsForLazyActivation(b)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the hot deployer says it is applying a batch (a Condition service with
     * {@code osgi.condition.id=trampoline.deploy.batch}): its jars are installed and started one by one, and
     * on a busy machine the gaps between them can be longer than a quiet time.
     */
    private boolean deployBatchInProgress() {
        try {
            return context.getServiceReferences("org.osgi.service.condition.Condition",
                    "(osgi.condition.id=trampoline.deploy.batch)") != null;
        } catch (org.osgi.framework.InvalidSyntaxException | IllegalStateException e) {
            return false;
        }
    }

    private static boolean waitsForLazyActivation(Bundle b) {
        try {
            BundleStartLevel sl = b.adapt(BundleStartLevel.class);
            return sl != null && sl.isActivationPolicyUsed()
                    && Constants.ACTIVATION_LAZY.equals(String.valueOf(b.getHeaders("").get(
                            Constants.BUNDLE_ACTIVATIONPOLICY)).split(";")[0].trim());
        } catch (IllegalArgumentException | IllegalStateException uninstalled) {
            return false;
        }
    }

    /** The bundle set as it is now. */
    public BundleSnapshot snapshot() throws SnapshotException {
        BundleSnapshot s = current;
        if (s != null && startLevelsUnchanged(s)) {
            return s;
        }
        long before = generation.get();
        s = compute();
        if (generation.get() == before) {
            current = s; // no bundle event while computing: valid until the next one
        }
        return s;
    }

    /**
     * Whether every bundle of {@code s} still has the start level it had. Setting a bundle's start level fires
     * no bundle event when the bundle stays as it was (started or not), so the cached snapshot is checked on
     * each use; a few map lookups per bundle.
     */
    private boolean startLevelsUnchanged(BundleSnapshot s) {
        for (BundleEntry e : s.bundles()) {
            Bundle b = context.getBundle(e.parentId());
            try {
                BundleStartLevel sl = b == null ? null : b.adapt(BundleStartLevel.class);
                if (sl != null && sl.getStartLevel() == e.startLevel()) {
                    continue;
                }
            } catch (IllegalArgumentException | IllegalStateException uninstalled) {
                // changed: computed again below
            }
            current = null;
            return false;
        }
        return true;
    }

    private BundleSnapshot compute() throws SnapshotException {
        Bundle[] bundles = context.getBundles();
        // Bundles not captured yet are captured here, from the last: the capturer works from the first, so
        // after a drop of many bundles the two share the work instead of waiting on each other.
        for (int i = bundles.length - 1; i > 0; i--) {
            if (bundles[i].getState() != Bundle.UNINSTALLED) {
                capture.shaOf(bundles[i]);
            }
        }
        List<BundleEntry> entries = new ArrayList<>();
        for (Bundle b : bundles) {
            if (b.getBundleId() == 0 || b.getState() == Bundle.UNINSTALLED) {
                continue;
            }
            BundleStartLevel sl = b.adapt(BundleStartLevel.class);
            ChildStartPolicy.Decision d = startPolicy.decide(b, inChild);
            boolean fragment = b.getHeaders("").get(Constants.FRAGMENT_HOST) != null;
            entries.add(new BundleEntry(b.getBundleId(), b.getLocation(), b.getSymbolicName(),
                    b.getVersion().toString(), capture.shaOf(b), sl.getStartLevel(), d.start(), d.lazy(), fragment,
                    stateName(b), d.reason(), startSequence.getOrDefault(b.getBundleId(), Long.MAX_VALUE)));
        }
        Map<String, String> props = ChildFrameworkProperties.of(context::getProperty);
        FrameworkStartLevel level = context.getBundle(0).adapt(FrameworkStartLevel.class);
        if (level != null) {
            // A child starts at the level the parent runs at now, so that it can start the same bundles; in
            // the middle of a level change, at least at the level of every bundle it is to start.
            int beginning = level.getStartLevel();
            for (BundleEntry e : entries) {
                if (e.start()) {
                    beginning = Math.max(beginning, e.startLevel());
                }
            }
            props.put(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, Integer.toString(beginning));
        }
        return BundleSnapshot.of(entries, props);
    }

    /**
     * The snapshot written where a child can read it, once per snapshot hash (again if the collector removed
     * it meanwhile). A child reads it while it boots: the collector keeps the current snapshot's file.
     */
    public Path fileFor(BundleSnapshot snapshot) throws IOException {
        Path known = written.get(snapshot.hash());
        if (known != null && (ownsStore || Files.isRegularFile(known))) {
            if (!ownsStore) {
                ContentStore.touch(known); // the parent's collector keeps what was used lately, and it with its jars
            }
            return known;
        }
        storeLock.readLock().lock();
        try {
            return writeFile(snapshot);
        } finally {
            storeLock.readLock().unlock();
        }
    }

    private Path writeFile(BundleSnapshot snapshot) throws IOException {
        if (!ownsStore) {
            ParentStore.keepCopies(store, snapshot, context);
        }
        Path file = StoreLayout.snapshotFile(store.root(), snapshot.hash());
        if (Files.exists(file)) {
            ContentStore.touch(file); // used again: among the most recent, which the collector keeps
        } else {
            snapshot.writeTo(file, store);
            collectLater(); // a new bundle set: older ones may go
        }
        written.put(snapshot.hash(), file);
        return file;
    }

    private void collectLater() {
        try {
            capturer.execute(this::collectGarbage);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // deactivated: the next start collects
        }
    }

    private static String stateName(Bundle b) {
        return switch (b.getState()) {
            case Bundle.ACTIVE -> "ACTIVE";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            default -> "UNINSTALLED";
        };
    }
}
