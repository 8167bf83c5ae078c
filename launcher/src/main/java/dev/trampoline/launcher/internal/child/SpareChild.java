package dev.trampoline.launcher.internal.child;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;

import org.apache.felix.framework.FrameworkFactory;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.wiring.FrameworkWiring;

import dev.trampoline.launcher.internal.Storage;
import dev.trampoline.runtime.contract.internal.ChildArguments;
import dev.trampoline.runtime.contract.internal.SnapshotFile;
import dev.trampoline.runtime.contract.internal.StoreLayout;

/**
 * A child started ahead of need (a spare): while no call waits, its JVM starts and it prepares what it can of
 * the likeliest next child (the parent's current snapshot, {@code --warm-snapshot}, in the folder the parent
 * gave it, {@code --storage}), then it reads the arguments of a child from its channel and boots as any child.
 * <ul>
 * <li>First it prepares that child's framework ({@link ChildBoot#prepare}: initialized, its bundles loaded,
 * none started), unless the snapshot has fragments (a framework extension's activator runs as the framework
 * initializes). If the child it becomes has that snapshot and folder, its boot goes on from there; otherwise
 * the framework is discarded and the child boots from the start.</li>
 * <li>Then it warms the framework's code up on a throwaway framework in a folder of its own: it installs the same
 * bundles and resolves them, then stops and is deleted. No bundle is started in either framework, so no
 * bundle's code runs ahead, and fragments are left out of the throwaway one: a framework extension would
 * attach to this JVM's framework.</li>
 * </ul>
 * When the arguments come, whatever is left of the warm-up is skipped. If the channel ends first (the parent
 * stopped, or went away), what was prepared is discarded and the spare exits.
 */
final class SpareChild {

    private static final long LEAVE_WAIT_SECONDS = 3;

    private final Path warmSnapshot;
    private final Path storage;
    private final CountDownLatch preparing = new CountDownLatch(1);
    private volatile ChildBoot.Prepared prepared;
    /** Set once the spare is to be a child, or to leave: the warm-up stops at its next step. */
    private volatile boolean needed;
    private Thread warmUp;

    private SpareChild(Path warmSnapshot, Path storage) {
        this.warmSnapshot = warmSnapshot;
        this.storage = storage;
    }

    /** Starts preparing and warming up on another thread, per the spare's own arguments. */
    static SpareChild start(String[] spareArgs) {
        ChildArguments.Spare arguments = ChildArguments.Spare.parse(spareArgs);
        SpareChild spare = new SpareChild(arguments.warmSnapshot(), arguments.storage());
        spare.warmUp = new Thread(spare::prepareAndWarmUp, "trampoline-spare-warm-up");
        spare.warmUp.setDaemon(true);
        spare.warmUp.start();
        return spare;
    }

    private void prepareAndWarmUp() {
        if (warmSnapshot == null || storage == null) {
            preparing.countDown(); // nothing to prepare for
            return;
        }
        try {
            // A framework extension would run its activator as the framework initializes, and stay in this JVM's
            // framework classes: a snapshot with fragments is not prepared ahead.
            if (!SnapshotFile.read(warmSnapshot).hasFragments()) {
                prepared = ChildBoot.prepare(warmSnapshot, storage, null);
            }
        } catch (Exception | LinkageError e) {
            Storage.deleteTree(StoreLayout.childCache(storage)); // the child boots from the start, with no cache yet
        } finally {
            preparing.countDown();
        }
        try {
            if (!needed) {
                warmUp(warmSnapshot);
            }
        } catch (Exception | LinkageError e) {
            // only a head start: the child's own boot does all of this again and reports what fails
        }
    }

    /**
     * Waits for a child's arguments on {@code channel}: one per line (UTF-8), an empty line after the last. Reads
     * byte by byte, so that nothing after them is taken from the channel. Null if the channel ends first: what
     * was prepared is then discarded, its folder deleted, and the warm-up has ended.
     */
    String[] awaitArguments(InputStream channel) throws IOException, InterruptedException {
        String[] args = null;
        try {
            args = readArguments(channel);
            return args;
        } finally {
            needed = true;
            if (args == null) {
                // Leaving, within bounds: a preparation that hangs must not keep this JVM after its parent.
                if (preparing.await(LEAVE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                    preparedFor(null, null);
                }
                warmUp.join(TimeUnit.SECONDS.toMillis(LEAVE_WAIT_SECONDS)); // and its folder is gone
                if (storage != null) {
                    Storage.deleteTree(storage);
                }
            }
        }
    }

    /**
     * The framework prepared ahead, if it was prepared for exactly {@code snapshotFile} in {@code folder}
     * (waiting for its preparation to end); otherwise it is discarded and this is null.
     */
    ChildBoot.Prepared preparedFor(Path snapshotFile, Path folder) throws InterruptedException {
        preparing.await();
        ChildBoot.Prepared p = prepared;
        prepared = null;
        if (p == null || (p.snapshotFile().equals(snapshotFile) && storage.equals(folder))) {
            return p;
        }
        ChildBoot.discard(p);
        return null;
    }

    private static String[] readArguments(InputStream channel) throws IOException {
        List<String> args = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = channel.read();
            if (b < 0) {
                return null;
            }
            if (b != '\n') {
                line.write(b);
            } else if (line.size() > 0) {
                args.add(line.toString(StandardCharsets.UTF_8));
                line.reset();
            } else {
                return args.toArray(String[]::new);
            }
        }
    }

    private void warmUp(Path snapshotFile) throws Exception {
        SnapshotFile snapshot = SnapshotFile.read(snapshotFile);
        Map<String, Object> config = ChildBoot.frameworkProperties(snapshot);
        Path folder = Files.createDirectories(storage.resolve("warm-up")); // the parent deletes it after the spare
        config.put(Constants.FRAMEWORK_STORAGE, folder.toString());
        config.put("felix.resolver.parallelism", "1");
        Framework framework = new FrameworkFactory().newFramework(config);
        try {
            if (needed) {
                return;
            }
            framework.init();
            BundleContext context = framework.getBundleContext();
            List<SnapshotFile.Entry> bundles = snapshot.bundles();
            for (int i = 0; i < bundles.size() && !needed; i++) {
                byte[] content = Files.readAllBytes(snapshot.jar(bundles.get(i)));
                if (!isFragment(content)) {
                    context.installBundle("spare-warm-up:" + i, new ByteArrayInputStream(content));
                }
            }
            if (!needed) {
                framework.start(); // no bundle is marked to start: the framework's own start-up only
                framework.adapt(FrameworkWiring.class).resolveBundles(null);
            }
        } finally {
            framework.stop();
            framework.waitForStop(5_000);
            Storage.deleteTree(folder);
        }
    }

    private static boolean isFragment(byte[] jar) throws IOException {
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar))) {
            Manifest manifest = in.getManifest();
            return manifest == null || manifest.getMainAttributes().getValue(Constants.FRAGMENT_HOST) != null;
        }
    }
}
