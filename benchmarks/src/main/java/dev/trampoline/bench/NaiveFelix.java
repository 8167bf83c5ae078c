package dev.trampoline.bench;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.felix.framework.FrameworkFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The baseline a child is compared with: a JVM that embeds Felix the plain way, from an empty cache, installs
 * the same bundles (the runtime set and the examples), starts them, and makes its first service call.
 * Arguments: cache folder, [--hold], example bundle jars. Prints {@code RESULT <greeting>}; with
 * {@code --hold} it then stays up until its standard input closes, so its memory can be read.
 */
public final class NaiveFelix {

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
        boolean hold = args.length > 1 && args[1].equals("--hold");
        Map<String, Object> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, cache.toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put("felix.log.level", "1");
        Framework framework = new FrameworkFactory().newFramework(config);
        framework.init();
        BundleContext context = framework.getBundleContext();
        List<Bundle> bundles = new ArrayList<>();
        for (String file : runtimeBundleList()) {
            try (InputStream in = NaiveFelix.class.getResourceAsStream("/META-INF/trampoline/bundles/" + file)) {
                Bundle b = context.installBundle("naive:" + file, in);
                if (!file.contains("gogo.jline")) { // a child does not start the terminal either
                    bundles.add(b);
                }
            }
        }
        for (int i = hold ? 2 : 1; i < args.length; i++) {
            bundles.add(context.installBundle(Path.of(args[i]).toUri().toString()));
        }
        framework.start();
        for (Bundle b : bundles) {
            try {
                b.start();
            } catch (org.osgi.framework.BundleException e) {
                // as a plain Felix user sees it: that bundle fails, the others go on (on JDK 25, SPI Fly's ASM
                // cannot read the JDK's class files, and Felix HTTP Jetty's activator fails)
                System.err.println("NaiveFelix: " + b.getSymbolicName() + " did not start: " + e);
            }
        }
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context,
                context.createFilter("(objectClass=dev.trampoline.examples.greeter.Greeter)"), null);
        tracker.open(true);
        Object greeter = tracker.waitForService(30_000);
        Object greeting = greeter.getClass().getMethod("greet", String.class).invoke(greeter, "baseline");
        System.out.println("RESULT " + greeting);
        System.out.flush();
        if (hold) {
            System.in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        framework.stop();
        framework.waitForStop(10_000);
        System.exit(0);
    }

    /** Starts the baseline's process on a new cache with the runtime's bundles and {@code bundles}. */
    static Process start(Workspace workspace, boolean hold, List<Path> bundles) throws java.io.IOException {
        List<String> cmd = new ArrayList<>(List.of(Workspace.java().toString(), "-cp",
                System.getProperty("java.class.path"), NaiveFelix.class.getName(),
                workspace.folder("naive-" + System.nanoTime()).toString()));
        if (hold) {
            cmd.add("--hold");
        }
        bundles.forEach(b -> cmd.add(b.toString()));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** Milliseconds from the baseline's spawn with {@code bundles} to the answer of its first call. */
    static double timedFirstCall(Workspace workspace, List<Path> bundles) throws Exception {
        long t0 = System.nanoTime();
        Process p = start(workspace, false, bundles);
        if (Processes.awaitLine(p, "RESULT") == null) {
            throw new IllegalStateException("the naive Felix baseline did not answer (bundles: " + bundles + ")");
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
