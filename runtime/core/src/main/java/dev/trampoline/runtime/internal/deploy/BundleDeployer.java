package dev.trampoline.runtime.internal.deploy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.log.Logger;

import dev.trampoline.runtime.contract.internal.ContentHash;
import dev.trampoline.runtime.deploy.DeployedArtifact.Kind;

/**
 * Turns settled jars into bundles, one batch at a time: uninstall what is gone, update what changed,
 * install what is new, refresh once, then start every bundle that is waiting to start. Installing a whole
 * batch before starting any of it is what makes the order of files in the folder irrelevant. Each bundle gets
 * its folder's start level, and the bundles of a batch start in ascending start level, as the framework starts
 * them when it starts.
 */
final class BundleDeployer {

    private static final long REFRESH_TIMEOUT_SECONDS = 60;

    private final BundleContext context;
    private final DeployRegistry registry;
    private final FolderLevels levels;
    private final Logger log;

    BundleDeployer(BundleContext context, DeployRegistry registry, FolderLevels levels, Logger log) {
        this.context = context;
        this.registry = registry;
        this.levels = levels;
        this.log = log;
    }

    /**
     * Gives every bundle deployed in an earlier run its folder's start level, should the folder's level have
     * changed since (the folder decides: a level set by hand lasts until the next start). The framework stops
     * or starts the bundle if its new level asks for it. The launcher does this before the framework starts
     * (launcher's DeployedBundleLevels), so this finds nothing left to move there; it serves a framework
     * started by others.
     */
    void applyFolderLevels() {
        for (TrackedFile t : registry.ofKind(Kind.BUNDLE)) {
            Bundle b = t.bundleId < 0 ? null : context.getBundle(t.bundleId);
            int level = levels.levelOf(t.file.getParent());
            int current = b == null ? 0 : DeployStatus.startLevel(b);
            if (current != 0 && current != level) {
                b.adapt(BundleStartLevel.class).setStartLevel(level);
                log.info("{} {} (bundle {}) moves from start level {} to {}, the level of {}", b.getSymbolicName(),
                        b.getVersion(), b.getBundleId(), current, level, t.file.getParent());
            }
        }
    }

    /** A settled jar whose content differs from what the framework has: to install or to update. */
    private record Change(FolderScanner.Ready ready, TrackedFile tracked, byte[] content, String sha256,
            Bundle existing) {
    }

    /** Applies one batch. Returns whether the set of installed bundles changed. */
    boolean apply(List<FolderScanner.Ready> arrived, List<TrackedFile> removed) {
        Set<Bundle> toRefresh = new LinkedHashSet<>();
        boolean changed = false;
        for (TrackedFile t : removed) {
            changed |= uninstall(t, toRefresh);
        }
        List<Change> changes = new ArrayList<>();
        for (FolderScanner.Ready r : arrived) {
            Change c = compare(r);
            if (c != null) {
                recordIntent(c);
                changes.add(c);
            }
        }
        if (!changes.isEmpty()) {
            saveState(); // before the framework changes: see recordIntent
        }
        for (Change c : changes) {
            changed |= installOrUpdate(c, toRefresh);
        }
        refresh(toRefresh);
        startPending();
        return changed;
    }

    private boolean uninstall(TrackedFile t, Set<Bundle> toRefresh) {
        registry.remove(t.file);
        Bundle b = t.bundleId < 0 ? null : context.getBundle(t.bundleId);
        if (b == null || b.getState() == Bundle.UNINSTALLED) {
            return false;
        }
        try {
            b.uninstall();
            toRefresh.add(b);
            log.info("Uninstalled {} {} (bundle {}): {} was deleted", b.getSymbolicName(), b.getVersion(),
                    b.getBundleId(), t.file);
            return true;
        } catch (BundleException | IllegalStateException e) {
            log.error("Could not uninstall bundle {} after {} was deleted: {}", b.getBundleId(), t.file,
                    e.getMessage());
            return false;
        }
    }

    /** The change {@code r} asks for, or null when the framework already has its content (or it is gone). */
    private Change compare(FolderScanner.Ready r) {
        TrackedFile t = registry.getOrCreate(r.file(), Kind.BUNDLE);
        byte[] content;
        try {
            content = Files.readAllBytes(r.file());
        } catch (IOException e) {
            // Gone or unreadable between scan and install: the next scan sees what became of it.
            return null;
        }
        String sha = ContentHash.sha256(content);
        Bundle existing = t.bundleId < 0 ? context.getBundle(t.location()) : context.getBundle(t.bundleId);
        if (existing != null && existing.getState() == Bundle.UNINSTALLED) {
            existing = null;
        }
        if (existing != null && sha.equals(t.sha256)) {
            t.handledStamp = r.stamp(); // touched, not changed
            return null;
        }
        return new Change(r, t, content, sha, existing);
    }

    /**
     * Writes down, before the framework is touched, what a kill at any later moment must leave behind for the
     * next start. Felix keeps an install or update the moment it returns, whatever happens after; so a new
     * bundle is recorded with its content and as owed a start (the restart finds it installed and starts it,
     * or finds it not installed and installs it), and a bundle about to be updated as content unknown (the
     * restart takes the jar again and updates it if its content differs).
     */
    private void recordIntent(Change c) {
        TrackedFile t = c.tracked();
        if (c.existing() == null) {
            t.handledStamp = c.ready().stamp();
            t.sha256 = c.sha256();
            t.startPending = !c.ready().jar().isFragment();
        } else {
            t.handledStamp = null;
            t.sha256 = null;
        }
    }

    private boolean installOrUpdate(Change c, Set<Bundle> toRefresh) {
        FolderScanner.Ready r = c.ready();
        TrackedFile t = c.tracked();
        Bundle bundle = c.existing();
        t.handledStamp = r.stamp();
        try {
            if (bundle != null) {
                bundle.update(new ByteArrayInputStream(c.content()));
                toRefresh.add(bundle);
                log.info("Updated {} {} (bundle {}) from {}", bundle.getSymbolicName(), bundle.getVersion(),
                        bundle.getBundleId(), r.file());
            } else {
                bundle = context.installBundle(t.location(), new ByteArrayInputStream(c.content()));
                int level = levels.levelOf(r.file().getParent());
                bundle.adapt(BundleStartLevel.class).setStartLevel(level); // before anything can start it
                log.info("Installed {} {} (bundle {}) from {}{}", bundle.getSymbolicName(), bundle.getVersion(),
                        bundle.getBundleId(), r.file(),
                        level == levels.defaultLevel() ? "" : " at start level " + level);
            }
            t.bundleId = bundle.getBundleId();
            t.sha256 = c.sha256();
            t.error = null;
            if (r.jar().isFragment()) {
                addHostsOf(r.jar(), toRefresh);
            }
            return true;
        } catch (BundleException | IllegalStateException | SecurityException e) {
            t.startPending = t.startPending && bundle != null; // nothing to start when the install failed
            reportError(t, describe(e, r.jar()));
            return false;
        }
    }

    /** Saves the deployer's record; a failure costs a re-check of jars at the next start, so it is a warning. */
    void saveState() {
        try {
            registry.save();
        } catch (IOException e) {
            log.warn("Could not save the hot deploy state: {}", e.getMessage());
        }
    }

    /** A fragment attaches to a host only when the host resolves again. */
    private void addHostsOf(BundleJar fragment, Set<Bundle> toRefresh) {
        for (Bundle b : context.getBundles()) {
            if (fragment.fragmentHostName().equals(b.getSymbolicName())) {
                toRefresh.add(b);
            }
        }
    }

    /** Whether a deployed bundle is still owed a start. */
    boolean hasPendingStarts() {
        return registry.ofKind(Kind.BUNDLE).stream().anyMatch(t -> t.startPending);
    }

    /**
     * Starts every deployed bundle that is waiting to start, lowest start level first (then in install order,
     * as the framework does); each start returns once the bundle is ACTIVE, so a bundle of a lower level runs
     * before one of a higher level starts. Those that cannot start keep their reason.
     */
    void startPending() {
        List<Waiting> waiting = new ArrayList<>();
        for (TrackedFile t : registry.ofKind(Kind.BUNDLE)) {
            if (!t.startPending) {
                continue;
            }
            Bundle b = context.getBundle(t.bundleId);
            int level = b == null || b.getState() == Bundle.UNINSTALLED ? 0 : DeployStatus.startLevel(b);
            if (level == 0) { // uninstalled: nothing to start
                t.startPending = false;
            } else {
                waiting.add(new Waiting(t, b, level));
            }
        }
        if (waiting.isEmpty()) {
            return;
        }
        waiting.sort(START_ORDER);
        List<Bundle> bundles = waiting.stream().map(Waiting::bundle).toList();
        // Resolve the whole set at once, so bundles that depend on one another resolve together.
        context.getBundle(0).adapt(FrameworkWiring.class).resolveBundles(bundles);
        for (Waiting w : waiting) {
            TrackedFile t = w.tracked();
            Bundle b = w.bundle();
            try {
                b.start(Bundle.START_ACTIVATION_POLICY);
                if (!isStartedOrLazy(b)) {
                    // start() returns quietly without starting a bundle above the framework's start level (the
                    // framework is stopping, or the level was lowered): still owed, or a kill now would lose it.
                    continue;
                }
                t.startPending = false;
                t.error = null;
                // Said even when the framework got there first (a start() made while it was still rising to its
                // level, or one from before a kill, resumes as the level rises): the bundle started in this run.
                log.info("Started {} {} (bundle {})", b.getSymbolicName(), b.getVersion(), b.getBundleId());
            } catch (BundleException | IllegalStateException | SecurityException e) {
                reportError(t, e.getMessage());
            }
        }
    }

    /** A bundle owed a start, with its start level. */
    record Waiting(TrackedFile tracked, Bundle bundle, int level) {
    }

    /** Lowest start level first, then lowest bundle id (install order): the framework's own order. */
    static final Comparator<Waiting> START_ORDER = Comparator.comparingInt(Waiting::level)
            .thenComparingLong(w -> w.tracked().bundleId);

    private static boolean isStartedOrLazy(Bundle b) {
        return b.getState() == Bundle.ACTIVE || b.getState() == Bundle.STARTING;
    }

    /** Records the error and logs it only when it differs from the one already reported for this file. */
    private void reportError(TrackedFile t, String message) {
        if (!message.equals(t.error)) {
            log.error("{}: {}", t.file, message);
        }
        t.error = message;
    }

    private String describe(Exception e, BundleJar jar) {
        if (e instanceof BundleException be && be.getType() == BundleException.DUPLICATE_BUNDLE_ERROR) {
            for (Bundle b : context.getBundles()) {
                if (jar.symbolicName().equals(b.getSymbolicName())
                        && b.getVersion().toString().equals(org.osgi.framework.Version.parseVersion(jar.version()).toString())) {
                    return "bundle " + jar.symbolicName() + " " + jar.version() + " is already installed (bundle "
                            + b.getBundleId() + " from " + b.getLocation() + "); remove one of the two";
                }
            }
        }
        return e.getMessage();
    }

    private void refresh(Set<Bundle> bundles) {
        if (bundles.isEmpty()) {
            return;
        }
        CountDownLatch done = new CountDownLatch(1);
        context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(bundles, event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED || event.getType() == FrameworkEvent.ERROR) {
                done.countDown();
            }
        });
        try {
            if (!done.await(REFRESH_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                log.warn("Refreshing bundles {} did not finish within {} s", bundles, REFRESH_TIMEOUT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
