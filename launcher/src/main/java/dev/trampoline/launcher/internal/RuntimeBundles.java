package dev.trampoline.launcher.internal;

import java.io.ByteArrayInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.wiring.BundleWiring;

import dev.trampoline.runtime.contract.internal.ContentHash;
import dev.trampoline.runtime.contract.internal.SnapshotFile;

/**
 * The runtime's own bundles (Gogo, SCR, Configuration Admin, Log, the Trampoline core), carried inside the
 * launcher jar under {@code META-INF/trampoline/bundles/} and listed in {@code bundles.list}. On every start
 * each is installed if missing and updated if the launcher carries different bytes, so a new launcher
 * upgrades a cache made by an older one.
 */
public final class RuntimeBundles {

    static final String BASE = "META-INF/trampoline/";
    /** Where every runtime bundle is installed from: what tells them from plugins. */
    static final String LOCATION_PREFIX = SnapshotFile.RUNTIME_LOCATION_PREFIX;
    /**
     * Gogo's terminal shell: started last and only for this run (it reads {@code gosh.args} on start, which
     * differ between interactive and headless runs).
     */
    private static final String SHELL_BUNDLE = "org.apache.felix.gogo.jline.jar";

    private record Entry(int startLevel, String file) {
    }

    private final BundleContext context;
    private final Path stateFile;
    private final LauncherLog log;
    private final List<Bundle> installed = new ArrayList<>();
    private Bundle shell;

    public RuntimeBundles(BundleContext context, Path cacheFolder, LauncherLog log) {
        this.context = context;
        this.stateFile = cacheFolder.resolve("trampoline-runtime-bundles.properties");
        this.log = log;
    }

    /** Installs or updates every runtime bundle; call between {@code init()} and {@code start()}. */
    public void installOrUpdate() throws IOException, BundleException {
        Properties hashes = loadHashes();
        for (Entry e : readList()) {
            byte[] content = readResource(BASE + "bundles/" + e.file());
            String sha = ContentHash.sha256(content);
            String location = LOCATION_PREFIX + e.file();
            Bundle b = context.getBundle(location);
            if (b == null) {
                b = context.installBundle(location, new ByteArrayInputStream(content));
            } else if (!sha.equals(hashes.getProperty(location))) {
                log.info("Updating runtime bundle " + b.getSymbolicName() + " to the launcher's copy");
                b.update(new ByteArrayInputStream(content));
            }
            hashes.setProperty(location, sha);
            b.adapt(BundleStartLevel.class).setStartLevel(e.startLevel());
            if (e.file().equals(SHELL_BUNDLE)) {
                shell = b;
            } else {
                installed.add(b);
            }
        }
        saveHashes(hashes);
    }

    /** Where Gogo's shell bundle has its stock {@code gosh_profile}, or null without a shell bundle. */
    public java.net.URL stockShellProfile() {
        return shell == null ? null : shell.getEntry("gosh_profile");
    }

    /** Starts the runtime bundles persistently (the shell bundle excepted). */
    public void startAll() throws BundleException {
        // All resolved first, in one go and holding no bundle's lock: a start() that resolves holds its bundle's
        // lock, and Felix refuses it ("Unable to acquire global lock for resolve") if another thread resolves at
        // that moment, such as the deployer, which starts with the first of these and installs dropped jars.
        context.getBundle(0).adapt(org.osgi.framework.wiring.FrameworkWiring.class).resolveBundles(installed);
        for (Bundle b : installed) {
            if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null && b.getState() != Bundle.ACTIVE) {
                b.start();
            }
        }
    }

    /**
     * Starts the shell bundle for this run only, once everything else is up. Its activator builds the
     * terminal in this thread, and JLine finds its terminal providers (the native and {@code stty} ones)
     * through the thread's context class loader; outside OSGi that is the application's, which cannot see
     * them inside the JLine bundle, and JLine falls back to a dumb terminal. So the JLine bundle's class
     * loader is the context class loader while the shell starts.
     */
    public void startShell() throws BundleException {
        if (shell == null) {
            return;
        }
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        ClassLoader jline = jlineClassLoader();
        try {
            if (jline != null) {
                thread.setContextClassLoader(jline);
            }
            shell.start(Bundle.START_TRANSIENT);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private ClassLoader jlineClassLoader() {
        for (Bundle b : installed) {
            if ("org.jline".equals(b.getSymbolicName())) {
                BundleWiring wiring = b.adapt(BundleWiring.class);
                return wiring == null ? null : wiring.getClassLoader();
            }
        }
        return null;
    }

    /** The file names of the runtime bundles, in the order they are installed. */
    static List<String> files() throws IOException {
        return readList().stream().map(Entry::file).toList();
    }

    private static List<Entry> readList() throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                new ByteArrayInputStream(readResource(BASE + "bundles.list")), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split("\\s+");
                entries.add(new Entry(Integer.parseInt(parts[0]), parts[1]));
            }
        }
        return entries;
    }

    private static byte[] readResource(String name) throws IOException {
        try (InputStream in = RuntimeBundles.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("The launcher jar is incomplete: " + name + " is missing");
            }
            return in.readAllBytes();
        }
    }

    private Properties loadHashes() throws IOException {
        Properties p = new Properties();
        if (Files.isRegularFile(stateFile)) {
            try (InputStream in = Files.newInputStream(stateFile)) {
                p.load(in);
            }
        }
        return p;
    }

    private void saveHashes(Properties p) throws IOException {
        Files.createDirectories(stateFile.getParent());
        try (OutputStream out = Files.newOutputStream(stateFile)) {
            p.store(out, "SHA-256 of the runtime bundles installed from the launcher");
        }
    }
}
