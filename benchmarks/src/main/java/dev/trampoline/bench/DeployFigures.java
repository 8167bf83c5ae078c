package dev.trampoline.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.apache.felix.framework.FrameworkFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.Constants;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.launch.Framework;

/** Jar dropped → bundle ACTIVE, for Trampoline's deploy folder and for Felix FileInstall at its defaults. */
final class DeployFigures {

    private static final String BSN = "bench.drop";

    private final Workspace workspace;
    private final Settings settings;
    private final Report report;

    DeployFigures(Workspace workspace, Settings settings, Report report) {
        this.workspace = workspace;
        this.settings = settings;
        this.report = report;
    }

    /** Measures drops into {@code folder} watched by the framework of {@code context}. */
    Samples measure(BundleContext context, Path folder, int runs) throws Exception {
        BlockingQueue<Long> started = new LinkedBlockingQueue<>();
        BlockingQueue<Long> uninstalled = new LinkedBlockingQueue<>();
        SynchronousBundleListener listener = e -> {
            if (BSN.equals(e.getBundle().getSymbolicName())) {
                if (e.getType() == BundleEvent.STARTED) {
                    started.add(System.nanoTime());
                } else if (e.getType() == BundleEvent.UNINSTALLED) {
                    uninstalled.add(System.nanoTime());
                }
            }
        };
        context.addBundleListener(listener);
        Samples samples = new Samples();
        try {
            for (int i = 0; i < runs; i++) {
                Path staged = workspace.folder("staging").resolve("drop.jar");
                Files.write(staged, jar("1.0." + i));
                Path target = folder.resolve("drop.jar");
                long t0 = System.nanoTime();
                Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
                Long t1 = started.poll(30, TimeUnit.SECONDS);
                if (t1 == null) {
                    throw new IllegalStateException("the dropped bundle was not started within 30 s");
                }
                samples.add((t1 - t0) / 1e6);
                Files.delete(target);
                if (uninstalled.poll(30, TimeUnit.SECONDS) == null) {
                    throw new IllegalStateException("the deleted bundle was not uninstalled within 30 s");
                }
            }
        } finally {
            context.removeBundleListener(listener);
        }
        return samples;
    }

    void run(BundleContext trampoline, Path deployFolder) throws Exception {
        Samples ours = measure(trampoline, deployFolder, settings.dropRuns());
        Samples fileInstall = fileInstall();
        report.add(new Figure("jar dropped → bundle ACTIVE", "ms", ours, 90,
                "Felix FileInstall 3.7.4 at its default settings", fileInstall.median(), false, "≤ 150 ms; ≥ 10× faster"));
    }

    private Samples fileInstall() throws Exception {
        Path folder = workspace.folder("fileinstall-load");
        Map<String, Object> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, workspace.folder("fileinstall-cache").toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put("felix.fileinstall.dir", folder.toString()); // where it watches; every timing setting is its default
        config.put("felix.log.level", "1");
        Framework framework = new FrameworkFactory().newFramework(config);
        framework.init();
        Bundle fi = framework.getBundleContext().installBundle(workspace.bundle("fileinstall").toUri().toString());
        framework.start();
        fi.start();
        try {
            return measure(framework.getBundleContext(), folder, settings.fileInstallRuns());
        } finally {
            framework.stop();
            framework.waitForStop(10_000);
        }
    }

    /** A manifest-only bundle: what is measured is the deploy folder, not a bundle's activator. */
    private static byte[] jar(String version) throws IOException {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", BSN);
        a.putValue("Bundle-Version", version);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(bytes, m)) {
            out.closeEntry();
        }
        return bytes.toByteArray();
    }
}
