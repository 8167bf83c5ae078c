package dev.trampoline.itests;

import static dev.trampoline.itests.DeployFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

import dev.trampoline.runtime.remote.CallOptions;
import dev.trampoline.runtime.remote.RemoteExecutor;
import dev.trampoline.runtime.remote.RemoteTask;

/**
 * A child's Configuration Admin holds the parent's configurations, of every origin and with their types, and
 * follows their changes while it runs. One runtime and one reusable child serve every test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChildConfigurationTest {

    private static final String GREETER = "dev.trampoline.examples.greeter.Greeter";
    private static final String GREETER_PID = "dev.trampoline.examples.greeter";

    DeployFixture fx;
    RemoteExecutor executor;

    @BeforeAll
    void start(@TempDir Path root) throws Exception {
        fx = DeployFixture.forRemoteCalls(root, Map.of());
        Files.writeString(fx.deploy.resolve(GREETER_PID + ".cfg"), "greeting = Bonjour\n");
        Files.copy(Examples.greeterJar(), fx.deploy.resolve("greeter.jar"));
        Eventually.until("the greeter says Bonjour in the parent", () -> "Bonjour, World!".equals(greetLocally()),
                fx::describe);
        executor = fx.executor();
    }

    @AfterAll
    void stop() {
        fx.close();
    }

    /** The greeter service (of any class space: the test's class path holds the greeter's classes too). */
    private ServiceReference<?> greeter() {
        try {
            ServiceReference<?>[] refs = fx.runtime().bundleContext().getAllServiceReferences(GREETER, null);
            return refs == null ? null : refs[0];
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private String greetLocally() {
        ServiceReference<?> ref = greeter();
        if (ref == null) {
            return null;
        }
        Object g = fx.runtime().bundleContext().getService(ref);
        try {
            return (String) g.getClass().getMethod("greet", String.class).invoke(g, "World");
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        } finally {
            fx.runtime().bundleContext().ungetService(ref);
        }
    }

    private String greetInChild() throws Exception {
        return (String) await(executor.invoke(greeter(), "greet", new Object[] {"World"}, CallOptions.DEFAULT));
    }

    private String greetInChildQuietly() {
        try {
            return greetInChild();
        } catch (Exception e) {
            return e.toString();
        }
    }

    private <R> R inChild(RemoteTask<R> task) throws Exception {
        @SuppressWarnings("unchecked")
        R r = (R) await(executor.run(task, CallOptions.DEFAULT));
        return r;
    }

    private static long pid(BundleContext context) {
        return ProcessHandle.current().pid();
    }

    @Test
    void configuredServiceAnswersTheSameInAChildAndFollowsChangesWithoutANewJvm() throws Exception {
        assertEquals("Bonjour, World!", greetInChild());
        long child = inChild(ChildConfigurationTest::pid);
        assertNotEquals(ProcessHandle.current().pid(), child);

        Files.writeString(fx.deploy.resolve(GREETER_PID + ".cfg"), "greeting = Hallo\n");
        // As in the parent, the component in the child is reconfigured asynchronously, a moment after the change.
        Eventually.until("the parent says Hallo", () -> "Hallo, World!".equals(greetLocally()), fx::describe);
        Eventually.until("the child says Hallo", () -> "Hallo, World!".equals(greetInChildQuietly()));

        Files.delete(fx.deploy.resolve(GREETER_PID + ".cfg"));
        Eventually.until("the parent says Hello", () -> "Hello, World!".equals(greetLocally()), fx::describe);
        Eventually.until("the child says Hello", () -> "Hello, World!".equals(greetInChildQuietly()));
        assertEquals(child, inChild(ChildConfigurationTest::pid), "the same child JVM answered every call");

        Files.writeString(fx.deploy.resolve(GREETER_PID + ".cfg"), "greeting = Bonjour\n");
        Eventually.until("the parent says Bonjour again", () -> "Bonjour, World!".equals(greetLocally()));
    }

    /** Every configuration Configuration Admin holds, as text: pid, factory pid and typed properties. */
    static String configurations(BundleContext context) throws Exception {
        ServiceReference<?> ref = context.getAllServiceReferences("org.osgi.service.cm.ConfigurationAdmin", null)[0];
        Object cm = context.getService(ref);
        try {
            Class<?> api = ref.getBundle().loadClass("org.osgi.service.cm.ConfigurationAdmin");
            Class<?> configuration = ref.getBundle().loadClass("org.osgi.service.cm.Configuration");
            Object[] all = (Object[]) api.getMethod("listConfigurations", String.class).invoke(cm, "(test.kind=*)");
            List<String> lines = new ArrayList<>();
            for (Object c : all == null ? new Object[0] : all) {
                @SuppressWarnings("unchecked")
                Dictionary<String, Object> props = (Dictionary<String, Object>) configuration.getMethod("getProperties")
                        .invoke(c);
                Map<String, String> typed = new TreeMap<>();
                for (String k : Collections.list(props.keys())) {
                    Object v = props.get(k);
                    if (!k.equals("service.pid") && !k.equals("felix.fileinstall.filename")) {
                        typed.put(k, v.getClass().getSimpleName() + ":" + (v.getClass().isArray()
                                ? Arrays.toString(arrayOf(v)) : v));
                    }
                }
                String pid = (String) configuration.getMethod("getPid").invoke(c);
                String factory = (String) configuration.getMethod("getFactoryPid").invoke(c);
                lines.add((factory == null || pid.startsWith(factory + "~") ? pid : factory + ".<generated>") + " "
                        + typed);
            }
            Collections.sort(lines);
            return String.join("\n", lines);
        } finally {
            context.ungetService(ref);
        }
    }

    private static Object[] arrayOf(Object array) {
        Object[] out = new Object[java.lang.reflect.Array.getLength(array)];
        for (int i = 0; i < out.length; i++) {
            out[i] = java.lang.reflect.Array.get(array, i);
        }
        return out;
    }

    /** The parent's Configuration Admin, by reflection: the host does not share its package. */
    private Object parentCm(String method, Class<?>[] types, Object... args) throws Exception {
        BundleContext context = fx.runtime().bundleContext();
        ServiceReference<?> ref = context.getAllServiceReferences("org.osgi.service.cm.ConfigurationAdmin", null)[0];
        Object cm = context.getService(ref);
        try {
            Method m = ref.getBundle().loadClass("org.osgi.service.cm.ConfigurationAdmin").getMethod(method, types);
            return m.invoke(cm, args);
        } finally {
            context.ungetService(ref);
        }
    }

    private static void update(Object configuration, Map<String, Object> props) throws Exception {
        Class<?> type = configuration.getClass().getClassLoader().loadClass("org.osgi.service.cm.Configuration");
        type.getMethod("update", Dictionary.class).invoke(configuration, new java.util.Hashtable<>(props));
    }

    private static void delete(Object configuration) throws Exception {
        configuration.getClass().getClassLoader().loadClass("org.osgi.service.cm.Configuration").getMethod("delete")
                .invoke(configuration);
    }

    @Test
    void configurationsOfEveryOriginReachTheChildWithTheirTypesAndLeaveWithThem() throws Exception {
        Files.writeString(fx.deploy.resolve("test.typed.config"),
                "test.kind=\"file\"\nsize=L\"42\"\nratio=D\"4602678819172646912\"\nnames=[\"a\",\"b\"]\nflags=Z[\"true\",\"false\"]\nports=I(\"80\",\"443\")\n");
        Files.writeString(fx.deploy.resolve("test.factory-one.cfg"), "test.kind = factory file\n");
        Object generated = parentCm("createFactoryConfiguration", new Class<?>[] {String.class, String.class},
                "test.code", "?");
        update(generated, Map.of("test.kind", "code", "count", 7, "letters", List.of("x", "y")));
        Eventually.until("the parent holds all three", () -> describeParent().lines().count() == 3,
                () -> describeParent() + "\n" + fx.describe());

        String expected = describeParent();
        Eventually.until("the child holds what the parent holds", () -> expected.equals(childConfigurations()),
                () -> "parent:\n" + expected + "\nchild:\n" + childConfigurations());

        delete(generated);
        Files.delete(fx.deploy.resolve("test.typed.config"));
        Files.delete(fx.deploy.resolve("test.factory-one.cfg"));
        Eventually.until("the parent holds none", () -> describeParent().isEmpty(), this::describeParent);
        Eventually.until("the child holds none", () -> childConfigurations().isEmpty(), this::childConfigurations);
    }

    private String describeParent() {
        try {
            return configurations(fx.runtime().bundleContext());
        } catch (Exception e) {
            return e.toString();
        }
    }

    private String childConfigurations() {
        try {
            return inChild(ChildConfigurationTest::configurations);
        } catch (Exception e) {
            return e.toString();
        }
    }
}
