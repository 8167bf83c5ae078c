package dev.trampoline.launcher.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;

import org.apache.felix.framework.FrameworkFactory;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * A child started ahead of need (a spare): its JVM starts and the framework's own code warms up while no call
 * waits, then it reads the arguments of a child from its channel (the snapshot, the storage folder, the
 * parent) and boots as any child does. A fresh child then costs the framework boot with warm code instead of
 * a JVM start and a cold boot.
 * <p>
 * The warm-up runs a throwaway framework in a temporary folder: it installs the bundles of a snapshot (the
 * parent's current one, the likeliest next) and resolves them, then stops and is deleted. No bundle is started,
 * so no bundle's code runs, and fragments are left out: a framework extension would attach to this JVM's
 * framework. What the child later boots is its own framework, from its own snapshot, as if nothing ran before.
 */
final class SpareChild {

    static final String FLAG = "--spare";

    private SpareChild() {
    }

    /**
     * Warms up on another thread while it waits for a child's arguments on {@code channel}: one per line (UTF-8),
     * an empty line after the last. Reads byte by byte, so that nothing after them is taken from the channel.
     * Null if the channel ends first: the parent went away, or stopped before it needed this JVM.
     */
    static String[] awaitArguments(String[] spareArgs, InputStream channel) throws IOException {
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i + 1 < spareArgs.length; i += 2) {
            options.put(spareArgs[i], spareArgs[i + 1]);
        }
        Thread warmUp = null;
        if (options.containsKey("--warm-snapshot")) {
            Path snapshot = Path.of(options.get("--warm-snapshot"));
            String parent = options.getOrDefault("--parent", "0");
            warmUp = new Thread(() -> {
                try {
                    warmUp(snapshot, parent);
                } catch (Exception | LinkageError e) {
                    // only a head start: the child's own boot does all of this again and reports what fails
                }
            }, "trampoline-spare-warm-up");
            warmUp.setDaemon(true);
            warmUp.start();
        }
        String[] args = null;
        try {
            args = readArguments(channel);
            return args;
        } finally {
            needed = true; // a warm-up still under way skips what is left of it, and deletes its folder
            if (args == null && warmUp != null) {
                try {
                    warmUp.join(5_000); // leaving: not before the warm-up's folder is gone
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Set once the spare is to be a child: the warm-up then stops at its next step rather than slow the boot. */
    private static volatile boolean needed;

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

    private static void warmUp(Path snapshotFile, String parentPid) throws Exception {
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
        // Named as the parent's children's folders are: if this JVM is killed, the parent's next start sweeps it.
        Path folder = Files.createTempDirectory("trampoline-child-" + parentPid + "-spare-");
        config.put(Constants.FRAMEWORK_STORAGE, folder.toString());
        config.put("felix.resolver.parallelism", "1");
        Framework framework = new FrameworkFactory().newFramework(config);
        try {
            if (needed) {
                return;
            }
            framework.init();
            BundleContext context = framework.getBundleContext();
            int count = Integer.parseInt(snapshot.getProperty("bundle.count", "0"));
            for (int i = 0; i < count && !needed; i++) {
                byte[] content = Files.readAllBytes(store.resolve(snapshot.getProperty("bundle." + i + ".sha256") + ".jar"));
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
