package dev.trampoline.itests;

import static dev.trampoline.itests.DeployFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

import dev.trampoline.runtime.remote.CallOptions;
import dev.trampoline.runtime.remote.RemoteExecutor;
import dev.trampoline.runtime.remote.RemoteTask;

/**
 * A child runs with the parent's runtime, not only its bundles: its framework properties and role, its rules
 * for what starts and in which order, the conditions components run on, and its log levels (configurations:
 * {@link ChildConfigurationTest}). One runtime and one reusable child serve every test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChildFidelityTest {

    DeployFixture fx;
    RemoteExecutor executor;

    @BeforeAll
    void start(@TempDir Path root) throws Exception {
        fx = DeployFixture.forRemoteCalls(root, Map.of(
                "test.plugin.setting", "from the parent",
                "test.port", "8080",
                "trampoline.child.property.test.port", "0",
                "trampoline.child.resolve", "test.named.*"));
        Files.copy(Examples.jobsJar(), fx.deploy.resolve("jobs.jar"));
        TestBundle.named("test.lazy", "1.0.0").header("Bundle-ActivationPolicy", "lazy")
                .activatorSupplying("\"lazy\"").writeTo(fx.deploy.resolve("lazy.jar"));
        TestBundle.named("test.resolve.header", "1.0.0").header("Trampoline-Child", "resolve")
                .activatorSupplying("\"header\"").writeTo(fx.deploy.resolve("header.jar"));
        TestBundle.named("test.named.server", "1.0.0").activatorSupplying("\"named\"")
                .writeTo(fx.deploy.resolve("named.jar"));
        TestBundle.named("test.components", "1.0.0")
                .component("test.parent.only", "parent", "osgi.ds.satisfying.condition.target="
                        + "(osgi.condition.id=trampoline.parent)")
                .component("test.child.only", "child", "osgi.ds.satisfying.condition.target="
                        + "(osgi.condition.id=trampoline.child)")
                .component("test.anywhere", "anywhere")
                .componentNeeding("test.needs.parent.only", "needs", "(test.name=test.parent.only)")
                .writeTo(fx.deploy.resolve("components.jar"));
        TestBundle.named("test.fails.in.child", "1.0.0").importing("org.osgi.framework")
                .header("Bundle-Activator", "failing.Activator")
                .source("failing.Activator", "package failing;\n"
                        + "public final class Activator implements org.osgi.framework.BundleActivator {\n"
                        + "  public void start(org.osgi.framework.BundleContext c) {\n"
                        + "    if (\"child\".equals(c.getProperty(\"trampoline.role\"))) {\n"
                        + "      throw new IllegalStateException(\"no database in a child\");\n"
                        + "    }\n"
                        + "    java.util.Hashtable<String, Object> p = new java.util.Hashtable<>();\n"
                        + "    p.put(\"test.name\", \"test.fails.in.child\");\n"
                        + "    java.util.function.Supplier<String> s = () -> \"parent\";\n"
                        + "    c.registerService(java.util.function.Supplier.class, s, p);\n"
                        + "  }\n"
                        + "  public void stop(org.osgi.framework.BundleContext c) { }\n"
                        + "}\n")
                .writeTo(fx.deploy.resolve("fails.jar"));
        Eventually.until("the test bundles run in the parent", () -> fx.isActive("test.named.server")
                && fx.state("test.lazy") == Bundle.STARTING, fx::describe);
        executor = fx.executor();
    }

    @AfterAll
    void stop() {
        fx.close();
    }


    private <R> R inChild(RemoteTask<R> task) throws Exception {
        @SuppressWarnings("unchecked")
        R r = (R) await(executor.run(task, CallOptions.DEFAULT));
        return r;
    }

    static String properties(BundleContext context) {
        return context.getProperty("test.plugin.setting") + "|" + context.getProperty("test.port") + "|"
                + context.getProperty("trampoline.role");
    }

    @Test
    void childHasTheParentsFrameworkPropertiesWithItsOwnOverridesAndRole() throws Exception {
        assertEquals("from the parent|8080|parent", properties(fx.runtime().bundleContext()));
        assertEquals("from the parent|0|child", inChild(ChildFidelityTest::properties));
    }

    static String logLevel(BundleContext context) {
        return context.getProperty("trampoline.log.level");
    }

    @Test
    void childLogsAtTheParentsLevel() throws Exception {
        String parent = logLevel(fx.runtime().bundleContext());
        assertTrue(parent != null, "the launcher sets the runtime's level");
        assertEquals(parent, inChild(ChildFidelityTest::logLevel));
    }

    /** The parent's Supplier service with {@code test.name} = {@code name}. */
    private ServiceReference<?> supplier(String name) throws Exception {
        ServiceReference<?>[] refs = fx.runtime().bundleContext().getAllServiceReferences(
                java.util.function.Supplier.class.getName(), "(test.name=" + name + ")");
        assertTrue(refs != null, "no service " + name + " in the parent\n" + fx.describe());
        return refs[0];
    }

    /** The test.name of every Supplier service in the framework of {@code context}. */
    static String suppliers(BundleContext context) {
        ServiceReference<?>[] refs;
        try {
            refs = context.getAllServiceReferences(java.util.function.Supplier.class.getName(), null);
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
        List<String> names = new ArrayList<>();
        for (ServiceReference<?> r : refs == null ? new ServiceReference<?>[0] : refs) {
            names.add(String.valueOf(r.getProperty("test.name")));
        }
        Collections.sort(names);
        return String.join(",", names);
    }

    /** The services of the jobs example: its job runner, and its shell command if it runs here. */
    static String jobsServices(BundleContext context) throws Exception {
        List<String> found = new ArrayList<>();
        if (context.getAllServiceReferences("dev.trampoline.examples.jobs.JobRunner", null) != null) {
            found.add("runner");
        }
        if (context.getAllServiceReferences(null, "(osgi.command.scope=jobs)") != null) {
            found.add("jobs:bg");
        }
        return String.join(",", found);
    }

    @Test
    void theJobsExamplesShellCommandRunsInTheParentOnlyAndItsRunnerEverywhere() throws Exception {
        Eventually.until("the jobs example runs in the parent", () -> {
            try {
                return "runner,jobs:bg".equals(jobsServices(fx.runtime().bundleContext()));
            } catch (Exception e) {
                return false;
            }
        }, fx::describe);
        assertEquals("runner", inChild(ChildFidelityTest::jobsServices));
    }

    private String failureInChild(String name) throws Exception {
        ServiceReference<?> ref = supplier(name);
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(dev.trampoline.runtime.remote.NoSuchServiceException.class,
                () -> await(executor.invoke(ref, "get", new Object[0], CallOptions.DEFAULT)));
        return e.getMessage();
    }

    @Test
    void componentsDeclareWhereTheyRunWithTheStandardSatisfyingCondition() throws Exception {
        Eventually.until("the parent runs its components", () -> suppliers(fx.runtime().bundleContext())
                .contains("test.parent.only"), fx::describe);
        String parent = suppliers(fx.runtime().bundleContext());
        assertTrue(parent.contains("test.anywhere") && !parent.contains("test.child.only"), parent);
        String child = inChild(ChildFidelityTest::suppliers);
        assertTrue(child.contains("test.anywhere") && child.contains("test.child.only")
                && !child.contains("test.parent.only"), child);

        String message = failureInChild("test.parent.only");
        assertTrue(message.contains("within 5000 ms") && message.contains("component test.parent.only is unsatisfied")
                && message.contains("satisfying condition (osgi.condition.id=trampoline.parent) is not met"), message);

        // A component whose reference only the parent can satisfy: present there, unsatisfied in children.
        message = failureInChild("test.needs.parent.only");
        assertTrue(message.contains("component test.needs.parent.only is unsatisfied: its reference needs to "
                + "java.util.function.Supplier (test.name=test.parent.only) has no service in the child"), message);
    }

    @Test
    void callOnABundleChildrenDoNotStartFailsSayingWhy() throws Exception {
        String message = failureInChild("test.named.server");
        assertTrue(message.contains("bundle test.named.server 1.0.0 is not started in children (install: "
                + "trampoline.child.resolve test.named.*)"), message);

        message = failureInChild("test.fails.in.child");
        assertTrue(message.contains("bundle test.fails.in.child 1.0.0 failed to start in the child: "
                + "java.lang.IllegalStateException: no database in a child"), message);
        assertEquals("anywhere", await(executor.invoke(supplier("test.anywhere"),
                "get", new Object[0], CallOptions.DEFAULT)), "the child serves the other bundles");
    }

    private static TestBundle startRecorder(String name) {
        return TestBundle.named(name, "1.0.0").importing("org.osgi.framework")
                .header("Bundle-Activator", name + ".Activator")
                .source(name + ".Activator", "package " + name + ";\n"
                        + "public final class Activator implements org.osgi.framework.BundleActivator {\n"
                        + "  public void start(org.osgi.framework.BundleContext c) {\n"
                        + "    System.setProperty(\"test.order\", System.getProperty(\"test.order\", \"\") + \""
                        + name + " \");\n"
                        + "  }\n"
                        + "  public void stop(org.osgi.framework.BundleContext c) { }\n"
                        + "}\n");
    }

    static String startOrder(BundleContext context) {
        return System.getProperty("test.order", "").strip();
    }

    @Test
    void childStartsBundlesInTheOrderTheParentStartedThem() throws Exception {
        Bundle first = fx.runtime().install(startRecorder("ordera").writeTo(fx.deploy.resolveSibling("ordera.jar")));
        Bundle second = fx.runtime().install(startRecorder("orderb").writeTo(fx.deploy.resolveSibling("orderb.jar")));
        first.stop();
        first.start(); // installed first, started last
        assertTrue(first.getBundleId() < second.getBundleId());
        try {
            assertEquals("orderb ordera", inChild(ChildFidelityTest::startOrder));
        } finally {
            first.uninstall();
            second.uninstall();
        }
    }

    /** Logs an ERROR through the child's Log Service, as a plugin would; returns the child's pid. */
    static long logError(BundleContext context) throws Exception {
        ServiceReference<?> ref = context.getAllServiceReferences("org.osgi.service.log.LoggerFactory", null)[0];
        Object factory = context.getService(ref);
        Class<?> api = ref.getBundle().loadClass("org.osgi.service.log.LoggerFactory");
        Object logger = api.getMethod("getLogger", String.class).invoke(factory, "test.plugin");
        ref.getBundle().loadClass("org.osgi.service.log.Logger").getMethod("error", String.class)
                .invoke(logger, "boom in the child");
        return ProcessHandle.current().pid();
    }

    @Test
    void childLogEntryKeepsItsLevelInTheParentsLog() throws Exception {
        long child = inChild(ChildFidelityTest::logError);
        Eventually.until("the parent logged the child's error", () -> logLines().stream().anyMatch(l ->
                l.matches(".* ERROR +\\[[^]|]+\\] \\[child " + child + "\\] boom in the child")),
                () -> String.join("\n", logLines())); // as an entry of the bundle that logged it in the child
    }

    private List<String> logLines() {
        try {
            return Files.readAllLines(fx.logFile());
        } catch (java.io.IOException e) {
            return List.of(e.toString());
        }
    }

    /** Each test bundle's state in the framework of {@code context}, and whether its activator class loads. */
    static String testBundles(BundleContext context) {
        List<String> out = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            String name = b.getSymbolicName();
            if (name != null && name.startsWith("test.")) {
                String state = state(b.getState());
                String loads = "";
                try {
                    if (name.equals("test.lazy")) {
                        continue; // loading its class would activate it
                    }
                    b.loadClass("act." + name.replaceAll("[^A-Za-z0-9]", "_") + ".Activator");
                    loads = "loads";
                } catch (ClassNotFoundException e) {
                    loads = "does not load";
                } finally {
                    out.add(name + " " + state + " " + loads);
                }
            }
        }
        Collections.sort(out);
        return String.join("\n", out);
    }

    private static String state(int state) {
        return switch (state) {
            case Bundle.ACTIVE -> "ACTIVE";
            case Bundle.STARTING -> "STARTING";
            case Bundle.RESOLVED -> "RESOLVED";
            default -> "INSTALLED";
        };
    }

    @Test
    void childStartsWhatTheParentRunsButNotWhatIsMarkedResolveAndLazyStaysLazy() throws Exception {
        // Asked before a class of the lazy bundle loads here: loading one activates it.
        String child = inChild(ChildFidelityTest::testBundles);
        assertTrue(child.contains("test.lazy STARTING "), child);
        assertTrue(child.contains("test.resolve.header RESOLVED loads"), child);
        assertTrue(child.contains("test.named.server RESOLVED loads"), child);

        assertEquals(Bundle.ACTIVE, fx.state("test.resolve.header"), fx.describe());
        assertEquals(Bundle.ACTIVE, fx.state("test.named.server"), fx.describe());
        assertEquals(Bundle.STARTING, fx.state("test.lazy"), fx.describe());
    }
}
