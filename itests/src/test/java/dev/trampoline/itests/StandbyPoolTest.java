package dev.trampoline.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.trampoline.runtime.remote.CallOptions;
import dev.trampoline.runtime.remote.RemoteExecutor;
import dev.trampoline.runtime.remote.RemoteFunction;

/** Standby children: started ahead of calls, moved in place to a new bundle set, never reused once used. */
class StandbyPoolTest {

    @TempDir
    Path root;
    DeployFixture fx;
    RemoteExecutor executor;

    @BeforeEach
    void start() throws Exception {
        fx = DeployFixture.forRemoteCalls(root,
                Map.of("trampoline.pool.standby", "1", "trampoline.child.cds", "false"));
        executor = fx.executor();
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    private static Set<Long> children() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive).map(ProcessHandle::pid)
                .collect(Collectors.toSet());
    }

    /** The pid that answered, and what the named test bundle's service said there. */
    @SuppressWarnings("rawtypes")
    static final class WhoAnswers implements RemoteFunction<Supplier, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String apply(Supplier service) {
            return ProcessHandle.current().pid() + ":" + service.get();
        }
    }

    private String ask(String name, CallOptions options) throws Exception {
        return (String) executor.submit(Supplier.class, "(test.name=" + name + ")", new WhoAnswers(), options)
                .getValue();
    }

    @Test
    void standbyChildFollowsAConfigurationChangeWithoutANewJvm() throws Exception {
        java.nio.file.Files.writeString(fx.deploy.resolve("test.configured.cfg"), "text = one\n");
        TestBundle.named("test.configured", "1.0.0").configuredComponent("test.configured", "test.configured")
                .writeTo(fx.deploy.resolve("configured.jar"));
        Eventually.until("the parent answers one", () -> "one".equals(fx.supplied("test.configured")), fx::describe);
        Eventually.until("one standby child is running", () -> children().size() == 1, () -> children().toString());
        long standby = children().iterator().next();

        java.nio.file.Files.writeString(fx.deploy.resolve("test.configured.cfg"), "text = two\n");
        Eventually.until("the parent answers two", () -> "two".equals(fx.supplied("test.configured")), fx::describe);

        Eventually.until("the standby child answers two", () -> {
            try {
                return ask("test.configured", CallOptions.DEFAULT).equals(standby + ":two");
            } catch (Exception e) {
                return false;
            }
        }, () -> children().toString());
    }

    @Test
    void standbyChildMovesToTheNewBundleSetAndServesTheFirstCallAfterAHotDeploy() throws Exception {
        Eventually.until("one standby child is running", () -> children().size() == 1, () -> children().toString());
        long standby = children().iterator().next();

        TestBundle.supplier("dropped.later", "1.0.0", "new code").writeTo(fx.deploy.resolve("later.jar"));
        Eventually.until("the bundle is ACTIVE here", () -> fx.isActive("dropped.later"), fx::describe);

        assertEquals(standby + ":new code", ask("dropped.later", CallOptions.DEFAULT),
                "the standby child, moved in place, answered with the bundle dropped after it started");
        Eventually.until("a new standby child replaces the one now in use", () -> children().size() == 2,
                () -> children().toString());

        // A child that ran calls is never moved: the next bundle set retires it, and the standby takes over.
        long next = children().stream().filter(p -> p != standby).findFirst().orElseThrow();
        TestBundle.supplier("dropped.again", "1.0.0", "newer code").writeTo(fx.deploy.resolve("again.jar"));
        Eventually.until("the bundle is ACTIVE here", () -> fx.isActive("dropped.again"), fx::describe);

        assertEquals(next + ":newer code", ask("dropped.again", CallOptions.DEFAULT));
        Eventually.until("the used child retired", () -> !children().contains(standby), () -> children().toString());
    }

    @Test
    void freshCallTakesAStandbyChildOnceAndItExitsAfterwards() throws Exception {
        TestBundle.supplier("fresh.target", "1.0.0", "x").writeTo(fx.deploy.resolve("fresh.jar"));
        Eventually.until("the bundle is ACTIVE here", () -> fx.isActive("fresh.target"), fx::describe);
        Eventually.until("one standby child for this bundle set", () -> children().size() == 1,
                () -> children().toString());
        Thread.sleep(300); // let it move to the set that has the bundle
        long standby = children().iterator().next();

        String answer = ask("fresh.target", CallOptions.DEFAULT.withFresh(true));

        assertEquals(standby + ":x", answer);
        Eventually.until("the single-use child exits", () -> !children().contains(standby),
                () -> children().toString());
        Eventually.until("and a new standby replaces it", () -> children().size() == 1, () -> children().toString());
        assertNotEquals(standby, children().iterator().next());
    }

    @Test
    void callWaitingForAMovingStandbyChildHoldsUpNoOtherCall() throws Exception {
        Eventually.until("one standby child is running", () -> children().size() == 1, () -> children().toString());
        long standby = children().iterator().next();
        // Its activator takes 5 s in the first child that starts it (the one taking the marker): the standby
        // child, which moves to it at once. Children started later start it at once.
        deploySlowStartingBundle(root);
        Eventually.until("the bundle is ACTIVE here", () -> fx.isActive("slow.start"), fx::describe);

        org.osgi.util.promise.Promise<String> waiting = executor.submit(Supplier.class, "(test.name=slow.start)",
                new WhoAnswers(), CallOptions.DEFAULT);
        String other = (String) executor.run(context -> "other", CallOptions.DEFAULT
                .withEnvironment(Map.of("TRAMPOLINE_TEST_LANE", "other"))).getValue();

        assertEquals("other", other, "a call for another child started and finished while the standby moved");
        assertEquals(false, waiting.isDone(), "the call for the moving child waits for it");
        assertEquals(standby + ":slow", waiting.getValue(), "and the moved standby child answers it");
    }

    /**
     * Deploys a bundle whose activator takes 5 s in the first child that starts it (the one taking the marker
     * in {@code dir}) unless that child runs in the test's other lane; children started later start it at once.
     */
    private void deploySlowStartingBundle(Path dir) throws Exception {
        Path marker = java.nio.file.Files.createFile(dir.resolve("slow-start-marker"));
        TestBundle.named("slow.start", "1.0.0").importing("org.osgi.framework")
                .header("Bundle-Activator", "slow.Activator")
                .source("slow.Activator", "package slow;\n"
                        + "public final class Activator implements org.osgi.framework.BundleActivator {\n"
                        + "  public void start(org.osgi.framework.BundleContext c) throws Exception {\n"
                        + "    if (\"true\".equals(c.getProperty(\"trampoline.child\"))\n"
                        // Never in the other lane's child, which may start it before the standby child moves.
                        + "        && System.getenv(\"TRAMPOLINE_TEST_LANE\") == null\n"
                        + "        && java.nio.file.Files.deleteIfExists(java.nio.file.Path.of(\""
                        + marker.toString().replace("\\", "\\\\") + "\"))) Thread.sleep(5000);\n"
                        + "    java.util.Hashtable<String, Object> p = new java.util.Hashtable<>();\n"
                        + "    p.put(\"test.name\", \"slow.start\");\n"
                        + "    c.registerService(java.util.function.Supplier.class,\n"
                        + "        (java.util.function.Supplier<String>) () -> \"slow\", p);\n"
                        + "  }\n"
                        + "  public void stop(org.osgi.framework.BundleContext c) { }\n"
                        + "}\n")
                .writeTo(fx.deploy.resolve("slow.jar"));
    }

    @Test
    void aBatchOfSlowStartingBundlesMovesTheStandbyChildOnceAfterTheLastHasStarted() throws Exception {
        Eventually.until("one standby child is running", () -> children().size() == 1, () -> children().toString());
        long standby = children().iterator().next();
        // Each activator takes 150 ms, longer than the quiet time: the bundle set changes step by step for
        // half a second. A lazy bundle waits in STARTING for its first class load: that is no change going on.
        java.util.List<TestBundle> batch = new java.util.ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            batch.add(slowStarting("batch." + i, 150));
        }
        batch.add(TestBundle.supplier("batch.lazy", "1.0.0", "lazy").header("Bundle-ActivationPolicy", "lazy"));
        for (TestBundle b : batch) {
            b.build(); // compiled before any is dropped: on a busy machine compiling between drops split the batch
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).writeTo(fx.deploy.resolve("batch-" + (i < 3 ? Integer.toString(i + 1) : "lazy") + ".jar"));
        }
        Eventually.until("the batch is ACTIVE here", () -> fx.isActive("batch.3")
                && fx.state("batch.lazy") == org.osgi.framework.Bundle.STARTING, fx::describe);
        Eventually.until("the standby child moved", () -> logLines("Standby child " + standby + " moved") > 0,
                fx::describe);

        assertEquals(standby + ":batch.3", ask("batch.3", CallOptions.DEFAULT),
                "it moved to the whole batch: the call needed no further move");
        assertEquals(1, logLines("Standby child " + standby + " moved"), "one move, not one per bundle started");
        assertEquals(0, logLines("still changing"), "the lazy bundle held nothing up to the time limit");
    }

    private long logLines(String text) {
        try {
            return java.nio.file.Files.readAllLines(fx.logFile()).stream().filter(l -> l.contains(text)).count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A bundle whose activator takes {@code millis} and registers a Supplier answering its name. */
    private static TestBundle slowStarting(String name, int millis) {
        String pkg = name.replace('.', '_');
        return TestBundle.named(name, "1.0.0").importing("org.osgi.framework")
                .header("Bundle-Activator", pkg + ".Activator")
                .source(pkg + ".Activator", "package " + pkg + ";\n"
                        + "public final class Activator implements org.osgi.framework.BundleActivator {\n"
                        + "  public void start(org.osgi.framework.BundleContext c) throws Exception {\n"
                        + "    Thread.sleep(" + millis + ");\n"
                        + "    java.util.Hashtable<String, Object> p = new java.util.Hashtable<>();\n"
                        + "    p.put(\"test.name\", \"" + name + "\");\n"
                        + "    c.registerService(java.util.function.Supplier.class,\n"
                        + "        (java.util.function.Supplier<String>) () -> \"" + name + "\", p);\n"
                        + "  }\n"
                        + "  public void stop(org.osgi.framework.BundleContext c) { }\n"
                        + "}\n");
    }

    @Test
    void standbyChildThatTakesLongerThanTheMoveTimeoutToMoveIsReplaced() throws Exception {
        fx.close();
        fx = DeployFixture.forRemoteCalls(root.resolve("short-moves"), Map.of("trampoline.pool.standby", "1",
                "trampoline.child.cds", "false", "trampoline.pool.moveTimeoutMillis", "1000"));
        executor = fx.executor();
        Eventually.until("one standby child is running", () -> children().size() == 1, () -> children().toString());
        long standby = children().iterator().next();
        deploySlowStartingBundle(root.resolve("short-moves"));
        Eventually.until("the bundle is ACTIVE here", () -> fx.isActive("slow.start"), fx::describe);

        String answer = ask("slow.start", CallOptions.DEFAULT);

        assertNotEquals(standby + ":slow", answer, "the standby child, 5 s into its move, was given up after 1 s");
        assertTrue(answer.endsWith(":slow"), answer);
        Eventually.until("the standby child that did not move exits", () -> !children().contains(standby),
                () -> children().toString());
    }
}
