package dev.trampoline.runtime.remote.internal.agent;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.wiring.FrameworkWiring;

import dev.trampoline.runtime.contract.internal.ChildProperties;
import dev.trampoline.runtime.contract.internal.ContentHash;
import dev.trampoline.runtime.contract.internal.SnapshotFile;
import dev.trampoline.runtime.contract.internal.SnapshotFile.Entry;

/**
 * Moves a child that has never run a call from one snapshot to another in place: uninstalls, updates and
 * installs what differs (each new revision verified against its SHA-256), refreshes once and starts what the
 * new snapshot starts. A child that has run calls is never changed this way: it may hold state of the old set.
 */
final class SnapshotApplier {

    private SnapshotApplier() {
    }

    /** Applies {@code next} over {@code current}; returns the new snapshot's hash. */
    static String apply(BundleContext context, Path current, Path next) throws IOException, BundleException {
        SnapshotFile from = SnapshotFile.read(current);
        SnapshotFile to = SnapshotFile.read(next);
        if (!from.frameworkProperties().equals(to.frameworkProperties())) {
            throw new IllegalStateException("the framework properties changed; only a new child can have them");
        }
        Map<String, Entry> before = entries(from);
        Map<String, Entry> after = entries(to);
        List<Bundle> changed = new ArrayList<>();
        for (String location : before.keySet()) {
            if (!after.containsKey(location)) {
                Bundle b = context.getBundle(location);
                if (b != null) {
                    b.uninstall();
                    changed.add(b);
                }
            }
        }
        for (Entry e : after.values()) {
            Entry old = before.get(e.location());
            if (old != null && old.sha256().equals(e.sha256())) {
                Bundle same = context.getBundle(e.location());
                if (same != null && old.startLevel() != e.startLevel()) {
                    same.adapt(BundleStartLevel.class).setStartLevel(e.startLevel());
                }
                continue;
            }
            byte[] content = verified(to, e);
            Bundle b = context.getBundle(e.location());
            if (b == null) {
                b = context.installBundle(e.location(), new ByteArrayInputStream(content));
            } else {
                b.update(new ByteArrayInputStream(content));
            }
            b.adapt(BundleStartLevel.class).setStartLevel(e.startLevel());
            changed.add(b);
        }
        refresh(context, changed);
        for (Entry e : after.values().stream().sorted(java.util.Comparator.comparingInt(Entry::startOrder)).toList()) {
            Bundle b = context.getBundle(e.location());
            if (b == null) {
                continue;
            }
            if (e.start() && b.getState() != Bundle.ACTIVE) {
                start(b, Bundle.START_TRANSIENT | (e.lazy() ? Bundle.START_ACTIVATION_POLICY : 0));
            } else if (!e.start() && (b.getState() == Bundle.ACTIVE || b.getState() == Bundle.STARTING)) {
                b.stop(Bundle.STOP_TRANSIENT); // stopped in the parent since this child started
            }
        }
        return to.hash();
    }

    /**
     * Starts a bundle as the child's boot does: a plugin that fails to start does not fail the move (the child
     * serves the other bundles; a call on its services says why), a runtime bundle does.
     */
    private static void start(Bundle b, int options) throws BundleException {
        try {
            b.start(options);
        } catch (BundleException | RuntimeException e) {
            if (b.getLocation().startsWith(SnapshotFile.RUNTIME_LOCATION_PREFIX)) {
                throw e;
            }
            Throwable cause = e.getCause() == null ? e : e.getCause();
            System.setProperty(ChildProperties.START_FAILURE_PREFIX + b.getBundleId(), cause.toString());
            System.err.println("trampoline child: bundle " + b.getSymbolicName() + " " + b.getVersion() + " ["
                    + b.getBundleId() + "] did not start: " + cause);
        }
    }

    private static byte[] verified(SnapshotFile snapshot, Entry e) throws IOException {
        byte[] content = Files.readAllBytes(snapshot.jar(e));
        String actual = ContentHash.sha256(content);
        if (!actual.equals(e.sha256())) {
            throw new IOException("the stored copy of " + e.location() + " does not match its hash");
        }
        return content;
    }

    private static void refresh(BundleContext context, List<Bundle> bundles) {
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
            done.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Map<String, Entry> entries(SnapshotFile snapshot) {
        Map<String, Entry> m = new LinkedHashMap<>();
        for (Entry e : snapshot.bundles()) {
            m.put(e.location(), e);
        }
        return m;
    }
}
