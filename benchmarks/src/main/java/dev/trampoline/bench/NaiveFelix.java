package dev.trampoline.bench;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;

import org.apache.felix.framework.FrameworkFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The baseline a child is compared with: a JVM that embeds Felix the plain way, from an empty cache, installs
 * the same bundles (the runtime set and the examples), starts them, and makes its first service call.
 * Arguments: cache folder, [--hold], [--call INTERFACE METHOD ARGUMENT] (default: the greeter's
 * {@code greet baseline}), then bundle jars and {@code PID.cfg} files. Each {@code .cfg} file becomes a
 * configuration, set through Config Admin before the jars' bundles start, as a deploy folder's would be.
 * Prints {@code RESULT <answer>}; with {@code --hold} it then stays up until its standard input closes, so its
 * memory can be read.
 */
public final class NaiveFelix {

    private static final String GREETER = "dev.trampoline.examples.greeter.Greeter";

    private NaiveFelix() {
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Exception | Error e) {
            e.printStackTrace();
            System.exit(1); // the framework's own threads would keep this JVM, and the harness waiting, forever
        }
    }

    private static void run(String[] args) throws Exception {
        Path cache = Path.of(args[0]);
        boolean hold = false;
        String[] call = {GREETER, "greet", "baseline"};
        int next = 1;
        while (next < args.length && args[next].startsWith("--")) {
            if (args[next].equals("--hold")) {
                hold = true;
                next++;
            } else if (args[next].equals("--call")) {
                call = Arrays.copyOfRange(args, next + 1, next + 4);
                next += 4;
            } else {
                throw new IllegalArgumentException("unknown option " + args[next]);
            }
        }
        Map<String, Object> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, cache.toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put("felix.log.level", "1");
        Framework framework = new FrameworkFactory().newFramework(config);
        framework.init();
        BundleContext context = framework.getBundleContext();
        List<Bundle> runtimeBundles = new ArrayList<>();
        for (String file : runtimeBundleList()) {
            try (InputStream in = NaiveFelix.class.getResourceAsStream("/META-INF/trampoline/bundles/" + file)) {
                Bundle b = context.installBundle("naive:" + file, in);
                if (!file.contains("gogo.jline")) { // a child does not start the terminal either
                    runtimeBundles.add(b);
                }
            }
        }
        List<Bundle> bundles = new ArrayList<>();
        List<Path> configurations = new ArrayList<>();
        for (int i = next; i < args.length; i++) {
            Path file = Path.of(args[i]);
            if (file.getFileName().toString().endsWith(".cfg")) {
                configurations.add(file);
            } else {
                bundles.add(context.installBundle(file.toUri().toString()));
            }
        }
        framework.start();
        startAll(runtimeBundles);
        configure(context, configurations);
        startAll(bundles);
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context,
                context.createFilter("(objectClass=" + call[0] + ")"), null);
        tracker.open(true);
        Object service = tracker.waitForService(30_000);
        Object answer = service.getClass().getMethod(call[1], String.class).invoke(service, call[2]);
        System.out.println("RESULT " + answer);
        System.out.flush();
        if (hold) {
            System.in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        framework.stop();
        framework.waitForStop(10_000);
        System.exit(0);
    }

    private static void startAll(List<Bundle> bundles) {
        for (Bundle b : bundles) {
            try {
                b.start();
            } catch (org.osgi.framework.BundleException e) {
                // as a plain Felix user sees it: that bundle fails, the others go on (on JDK 25, SPI Fly's ASM
                // cannot read the JDK's class files, and Felix HTTP Jetty's activator fails)
                System.err.println("NaiveFelix: " + b.getSymbolicName() + " did not start: " + e);
            }
        }
    }

    /**
     * Sets each {@code PID.cfg} file's properties as the configuration {@code PID}, through the Config Admin
     * service of the runtime's bundles (reflectively: its interface is the bundle's, not this class path's).
     */
    private static void configure(BundleContext context, List<Path> files) throws Exception {
        if (files.isEmpty()) {
            return;
        }
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context,
                context.createFilter("(objectClass=org.osgi.service.cm.ConfigurationAdmin)"), null);
        tracker.open(true);
        Object admin = tracker.waitForService(30_000);
        Class<?> adminType = admin.getClass().getClassLoader().loadClass("org.osgi.service.cm.ConfigurationAdmin");
        for (Path file : files) {
            String name = file.getFileName().toString();
            Properties text = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                text.load(in);
            }
            Hashtable<String, Object> properties = new Hashtable<>();
            text.stringPropertyNames().forEach(key -> properties.put(key, text.getProperty(key).strip()));
            Object configuration = adminType.getMethod("getConfiguration", String.class, String.class)
                    .invoke(admin, name.substring(0, name.length() - ".cfg".length()), "?");
            configuration.getClass().getClassLoader().loadClass("org.osgi.service.cm.Configuration")
                    .getMethod("update", Dictionary.class).invoke(configuration, properties);
        }
        tracker.close();
    }

    /** Starts the baseline's process on a new cache with the runtime's bundles and {@code bundles}. */
    static Process start(Workspace workspace, boolean hold, List<Path> bundles) throws java.io.IOException {
        return start(workspace, hold, null, bundles);
    }

    /**
     * Starts the baseline's process on a new cache with the runtime's bundles and {@code files} (jars and
     * {@code .cfg} files), calling {@code call} (interface, method, one string argument; null: the greeter).
     */
    static Process start(Workspace workspace, boolean hold, List<String> call, List<Path> files)
            throws java.io.IOException {
        List<String> cmd = new ArrayList<>(List.of(Workspace.java().toString(), "-cp",
                System.getProperty("java.class.path"), NaiveFelix.class.getName(),
                workspace.folder("naive-" + System.nanoTime()).toString()));
        if (hold) {
            cmd.add("--hold");
        }
        if (call != null) {
            cmd.add("--call");
            cmd.addAll(call);
        }
        files.forEach(b -> cmd.add(b.toString()));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** Milliseconds from the baseline's spawn with {@code bundles} to the answer of its first call. */
    static double timedFirstCall(Workspace workspace, List<Path> bundles) throws Exception {
        return timedFirstCall(workspace, null, bundles, answer -> true);
    }

    /**
     * Milliseconds from the baseline's spawn with {@code files} (jars and {@code .cfg} files) to the answer of
     * {@code call} (null: the greeter's), which {@code expected} must accept.
     */
    static double timedFirstCall(Workspace workspace, List<String> call, List<Path> files,
            Predicate<String> expected) throws Exception {
        long t0 = System.nanoTime();
        Process p = start(workspace, false, call, files);
        String answer = Processes.awaitLine(p, "RESULT");
        if (answer == null || !expected.test(answer)) {
            p.destroyForcibly();
            throw new IllegalStateException("the naive Felix baseline did not answer as expected (" + answer
                    + "; files: " + files + ")");
        }
        double millis = (System.nanoTime() - t0) / 1e6;
        p.waitFor();
        return millis;
    }

    static List<String> runtimeBundleList() throws Exception {
        List<String> files = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                NaiveFelix.class.getResourceAsStream("/META-INF/trampoline/bundles.list"), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                line = line.strip();
                if (!line.isEmpty() && !line.startsWith("#")) {
                    files.add(line.split("\\s+")[1]);
                }
            }
        }
        return files;
    }

    static void deleteTree(Path root) {
        try (var walk = Files.walk(root)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception e) {
            // temp files
        }
    }
}
