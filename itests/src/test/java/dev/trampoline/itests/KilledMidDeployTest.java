package dev.trampoline.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The real launcher killed with SIGKILL while it applies a batch of jars dropped at once, then started again
 * on the same storage: every jar of the folder runs, or (the one broken jar) says why in {@code tramp:deploy}
 * and the log.
 *
 * <p>The kill points are events, not times: a bundle deployed first (the "holder") has a synchronous bundle
 * listener, called on the deployer's own thread, that freezes that thread at the N-th INSTALLED or STARTED
 * event of the batch when the file {@code hold-at} in the working folder asks for it, and says so by
 * writing {@code held}. The test kills the process once {@code held} exists.
 */
class KilledMidDeployTest {

    private static final int APIS = 10;
    private static final int CLIENTS = 20;
    /** Every jar of the batch that is started: the APIs and the clients, not the broken one. */
    private static final int STARTABLE = APIS + CLIENTS;

    @TempDir
    Path work;

    @ParameterizedTest(name = "killed at {0} #{1}")
    @CsvSource({
        "INSTALLED, 1",   // the first bundle of the batch installed, nothing started
        "INSTALLED, 16",  // half the batch installed
        "STARTED, 12",    // all installed, some started
        "STARTED, 30",    // all started, the deployer's own record not yet written
    })
    void restartAfterAKillMidBatchRunsEveryJarOrSaysWhyNot(String event, int count) throws Exception {
        Path deploy = Files.createDirectories(work.resolve("deploy"));
        holder().writeTo(deploy.resolve("holder.jar"));
        Map<String, byte[]> batch = batch();
        Path staging = Files.createDirectories(work.resolve("staging"));
        for (Map.Entry<String, byte[]> jar : batch.entrySet()) {
            Files.write(staging.resolve(jar.getKey()), jar.getValue());
        }
        Files.writeString(work.resolve("hold-at"), event + " " + count);

        try (LauncherProcess first = LauncherProcess.start(work, "--no-shell", "--storage", "storage")) {
            Eventually.until("the holder is started", () -> first.err().contains("Started batch.holder"),
                    first::describe);
            for (String name : batch.keySet()) { // a rename each: the deployer sees whole jars only
                Files.move(staging.resolve(name), deploy.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            }
            Eventually.until("the deployer is held at " + event + " #" + count,
                    () -> Files.exists(work.resolve("held")), first::describe);
            first.process().destroyForcibly();
            first.awaitExit();
        }
        Files.delete(work.resolve("hold-at"));

        LauncherProcess second = LauncherProcess.run(work, "", "--storage", "storage", "--exec", "tramp:deploy");

        assertEquals(0, second.exitCode(), second.describe());
        Map<String, String> states = states(second.out());
        for (String name : batch.keySet()) {
            String expected = name.startsWith("broken") ? "INSTALLED" : "ACTIVE";
            assertEquals(expected, states.get(name), name + " after the restart:\n" + second.out());
        }
        assertTrue(second.out().matches("(?s).*broken\\.jar\\s+INSTALLED[^\\n]*\\n\\s+error: [^\\n]*batch\\.absent.*"),
                "tramp:deploy says why the broken jar does not run:\n" + second.out());
        List<String> log = Files.readAllLines(work.resolve("storage/log/trampoline.log"));
        assertTrue(log.stream().noneMatch(l -> l.contains("Updated batch.")),
                "what was installed before the kill is known as such, not updated again:\n"
                        + String.join("\n", log));
        // Not about deploying: Gogo's runtime may fail to stop (an NPE on a session it had not made yet) when the
        // --exec runtime stops right after starting; that shutdown race is Gogo's, not the deployer's.
        List<String> errors = log.stream().filter(l -> l.contains(" ERROR "))
                .filter(l -> !l.contains("org.apache.felix.gogo.runtime [")).toList();
        assertTrue(errors.stream().anyMatch(l -> l.contains("batch.absent")), "the log says why:\n" + errors);
        assertTrue(errors.stream().allMatch(l -> l.contains("batch.absent") || l.contains("batch.broken")),
                "the only errors logged are the broken jar's:\n" + String.join("\n", errors));
    }

    /** The file name and state of each jar line of {@code tramp:deploy}. */
    private static Map<String, String> states(String deployOutput) {
        Map<String, String> states = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^\\s+(\\S+\\.jar)\\s+(\\S+)").matcher(deployOutput);
        while (m.find()) {
            states.put(m.group(1), m.group(2));
        }
        return states;
    }

    /**
     * APIs (each exporting a package), clients importing them (named so that most come before their API in
     * the folder), and one jar that imports a package nobody exports. Manifests only: nothing to compile.
     */
    private static Map<String, byte[]> batch() throws IOException {
        Map<String, byte[]> jars = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            String pkg = "batch.pkg" + (i % APIS);
            jars.put("a-client" + i + ".jar", TestBundle.named("batch.client" + i, "1.0.0")
                    .importing(pkg + ";version=\"[1,2)\"").build());
            names.add("a-client" + i + ".jar");
        }
        for (int i = 0; i < APIS; i++) {
            jars.put("m-api" + i + ".jar", TestBundle.named("batch.api" + i, "1.0.0")
                    .header("Export-Package", "batch.pkg" + i + ";version=1.0.0").build());
        }
        jars.put("broken.jar", TestBundle.named("batch.broken", "1.0.0").importing("batch.absent").build());
        assertEquals(STARTABLE + 1, jars.size());
        return jars;
    }

    /** The bundle whose synchronous listener freezes the deployer's thread at the event {@code hold-at} names. */
    private static TestBundle holder() {
        return TestBundle.named("batch.holder", "1.0.0").importing("org.osgi.framework")
                .header("Bundle-Activator", "holder.Activator")
                .source("holder.Activator", """
                        package holder;

                        import java.nio.file.Files;
                        import java.nio.file.Path;
                        import org.osgi.framework.*;

                        public final class Activator implements BundleActivator, SynchronousBundleListener {
                            private final Path plan = Path.of(System.getProperty("user.dir"), "hold-at");
                            private int seen;

                            public void start(BundleContext c) { c.addBundleListener(this); }
                            public void stop(BundleContext c) { }

                            public synchronized void bundleChanged(BundleEvent e) {
                                String name = e.getBundle().getSymbolicName();
                                if (name == null || !name.startsWith("batch.") || name.equals("batch.holder")
                                        || !Files.exists(plan)) {
                                    return;
                                }
                                try {
                                    String[] p = Files.readString(plan).trim().split(" ");
                                    int type = p[0].equals("INSTALLED") ? BundleEvent.INSTALLED : BundleEvent.STARTED;
                                    if (e.getType() == type && ++seen == Integer.parseInt(p[1])) {
                                        Files.writeString(plan.resolveSibling("held"), p[0] + " " + name);
                                        Thread.sleep(Long.MAX_VALUE); // until the test kills the process
                                    }
                                } catch (Exception ex) {
                                    throw new IllegalStateException(ex);
                                }
                            }
                        }
                        """);
    }
}
