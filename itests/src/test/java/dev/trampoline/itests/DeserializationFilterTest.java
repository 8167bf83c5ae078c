package dev.trampoline.itests;

import static dev.trampoline.itests.DeployFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

import dev.trampoline.runtime.remote.CallNotSerializableException;
import dev.trampoline.runtime.remote.CallOptions;
import dev.trampoline.runtime.remote.RemoteExecutor;
import dev.trampoline.runtime.remote.RemoteServiceException;

/**
 * A plugin in a real child answers with deserialization gadgets, and is sent them as arguments: the reader (the
 * parent, or the child) refuses each, naming the class and the rule, before the gadget's plugin code runs; the
 * child then answers the next call. The plugin's comparator and invocation handler mark a file named after the
 * JVM they run in, so the test sees where they ran. One runtime and one reusable child serve every test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeserializationFilterTest {

    private static final long PARENT = ProcessHandle.current().pid();

    DeployFixture fx;
    RemoteExecutor executor;
    Path marks;
    Bundle plugin;

    /** The plugin: a Function service answering the gadget its argument names, and the code gadgets would run. */
    private static TestBundle plugin(Path marks) {
        String mark = "package gadgets;\n"
                + "public final class Mark {\n"
                + "  public static void ran(String what) {\n"
                + "    try {\n"
                + "      java.nio.file.Files.writeString(java.nio.file.Path.of(\"" + marks.toString().replace("\\", "\\\\")
                + "\", what + \"-\" + ProcessHandle.current().pid()), what);\n"
                + "    } catch (java.io.IOException e) {\n"
                + "      throw new java.io.UncheckedIOException(e);\n"
                + "    }\n"
                + "  }\n"
                + "}\n";
        String comparator = "package gadgets;\n"
                + "public final class PluginComparator implements java.util.Comparator<Object>, java.io.Serializable {\n"
                + "  public int compare(Object a, Object b) {\n"
                + "    Mark.ran(\"comparator\");\n"
                + "    return String.valueOf(a).compareTo(String.valueOf(b));\n"
                + "  }\n"
                + "}\n";
        String handler = "package gadgets;\n"
                + "public final class PluginHandler implements java.lang.reflect.InvocationHandler, java.io.Serializable {\n"
                + "  public Object invoke(Object proxy, java.lang.reflect.Method m, Object[] args) {\n"
                + "    Mark.ran(\"handler\");\n"
                + "    return m.getName().equals(\"hashCode\") ? 1 : m.getName().equals(\"equals\") ? false : null;\n"
                + "  }\n"
                + "}\n";
        String service = "package gadgets;\n"
                + "import java.util.*;\n"
                + "public final class Service implements java.util.function.Function<Object, Object> {\n"
                + "  public Object apply(Object what) {\n"
                + "    if (!(what instanceof String)) {\n"
                + "      return \"read a \" + what.getClass().getName();\n"
                + "    }\n"
                + "    try {\n"
                + "      switch ((String) what) {\n"
                + "        case \"ok\": return \"fine\";\n"
                + "        case \"urlmap\": {\n"
                + "          HashMap<java.net.URL, String> m = new HashMap<>();\n"
                + "          m.put(new java.net.URL(\"http://127.0.0.1:9/probe\"), \"x\");\n" // hashed here without DNS
                + "          return m;\n"
                + "        }\n"
                + "        case \"badattr\": return new javax.management.BadAttributeValueExpException(\"x\");\n"
                + "        case \"queue\": {\n"
                + "          PriorityQueue<String> q = new PriorityQueue<>(new PluginComparator());\n"
                + "          q.add(\"b\");\n"
                + "          q.add(\"a\");\n"
                + "          return q;\n"
                + "        }\n"
                + "        case \"lambdaqueue\": {\n"
                + "          Comparator<String> c = (Comparator<String> & java.io.Serializable) (a, b) -> {\n"
                + "            Mark.ran(\"lambda\");\n"
                + "            return a.compareTo(b);\n"
                + "          };\n"
                + "          PriorityQueue<String> q = new PriorityQueue<>(c);\n"
                + "          q.add(\"b\");\n"
                + "          q.add(\"a\");\n"
                + "          return q;\n"
                + "        }\n"
                + "        case \"proxymap\": {\n"
                + "          Object p = java.lang.reflect.Proxy.newProxyInstance(Service.class.getClassLoader(),\n"
                + "              new Class<?>[] {Runnable.class}, new PluginHandler());\n"
                + "          HashMap<Object, String> m = new HashMap<>();\n"
                + "          m.put(p, \"x\");\n"
                + "          return m;\n"
                + "        }\n"
                + "        case \"chain\": {\n" // Commons Collections, a bundle the plugin imports
                + "          Class<?> t = Class.forName(\"org.apache.commons.collections.Transformer\");\n"
                + "          Object constant = Class.forName(\"org.apache.commons.collections.functors.ConstantTransformer\")\n"
                + "              .getConstructor(Object.class).newInstance(\"x\");\n"
                + "          Object chain = java.lang.reflect.Array.newInstance(t, 1);\n"
                + "          java.lang.reflect.Array.set(chain, 0, constant);\n"
                + "          return Class.forName(\"org.apache.commons.collections.functors.ChainedTransformer\")\n"
                + "              .getConstructor(chain.getClass()).newInstance(chain);\n"
                + "        }\n"
                + "        case \"beancomparator\": {\n"
                + "          @SuppressWarnings(\"unchecked\")\n"
                + "          Comparator<Object> c = (Comparator<Object>) Class.forName(\n"
                + "              \"org.apache.commons.beanutils.BeanComparator\").getConstructor(String.class).newInstance(\"probe\");\n"
                + "          PriorityQueue<Object> q = new PriorityQueue<>(c);\n"
                + "          q.add(\"one element: nothing to compare here\");\n"
                + "          return q;\n"
                + "        }\n"
                + "        case \"throwbadattr\":\n"
                + "          throw new IllegalStateException(\"wrapped\", new javax.management.BadAttributeValueExpException(\"x\"));\n"
                + "        default: throw new IllegalArgumentException(String.valueOf(what));\n"
                + "      }\n"
                + "    } catch (ReflectiveOperationException | java.net.MalformedURLException e) {\n"
                + "      throw new IllegalStateException(e);\n"
                + "    }\n"
                + "  }\n"
                + "}\n";
        String activator = "package gadgets;\n"
                + "public final class Activator implements org.osgi.framework.BundleActivator {\n"
                + "  public void start(org.osgi.framework.BundleContext c) {\n"
                + "    java.util.Hashtable<String, Object> p = new java.util.Hashtable<>();\n"
                + "    p.put(\"test.name\", \"gadgets\");\n"
                + "    c.registerService(java.util.function.Function.class, new Service(), p);\n"
                + "  }\n"
                + "  public void stop(org.osgi.framework.BundleContext c) { }\n"
                + "}\n";
        return TestBundle.named("test.gadgets", "1.0.0")
                .importing("org.osgi.framework,javax.management,org.apache.commons.collections,"
                        + "org.apache.commons.collections.functors,org.apache.commons.beanutils")
                .header("Bundle-Activator", "gadgets.Activator")
                .source("gadgets.Mark", mark).source("gadgets.PluginComparator", comparator)
                .source("gadgets.PluginHandler", handler).source("gadgets.Service", service)
                .source("gadgets.Activator", activator);
    }

    @BeforeAll
    void start(@TempDir Path root) throws Exception {
        marks = Files.createDirectories(root.resolve("marks"));
        fx = DeployFixture.forRemoteCalls(root, Map.of());
        for (Path jar : Examples.gadgetLibraries()) {
            Files.copy(jar, fx.deploy.resolve(jar.getFileName()));
        }
        plugin(marks).writeTo(fx.deploy.resolve("gadgets.jar"));
        Eventually.until("the gadgets plugin is ACTIVE", () -> fx.isActive("test.gadgets"), fx::describe);
        plugin = fx.bundle("test.gadgets").orElseThrow();
        executor = fx.executor();
    }

    @AfterAll
    void stop() {
        fx.close();
    }

    /** After every test: the child still answers, and no plugin code of a gadget ran in the parent. */
    @AfterEach
    void childAnswersAndTheParentRanNoGadget() throws Exception {
        assertEquals("fine", call("ok"), "the next call on the same executor");
        assertEquals(List.of(), marksOf(PARENT), "gadget code that ran in the parent");
    }

    private ServiceReference<?> gadgets() throws Exception {
        return fx.runtime().bundleContext().getServiceReferences((String) null, "(test.name=gadgets)")[0];
    }

    private Object call(Object argument) throws Exception {
        return await(executor.invoke(gadgets(), "apply", new Object[] {argument}, CallOptions.DEFAULT));
    }

    /** The marks (what ran) left by the JVM {@code pid}. */
    private List<String> marksOf(long pid) throws IOException {
        try (Stream<Path> files = Files.list(marks)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("-" + pid)).sorted().toList();
        }
    }

    /** The marks left by JVMs other than the parent: where the plugin's code may run. */
    private List<String> childMarks() throws IOException {
        try (Stream<Path> files = Files.list(marks)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith("-" + PARENT))
                    .map(n -> n.substring(0, n.lastIndexOf('-'))).distinct().sorted().toList();
        }
    }

    /** The call fails; its message (the parent could not read the answer) names the class and the rule. */
    private String refusedAnswer(String gadget) {
        CallNotSerializableException e = assertThrows(CallNotSerializableException.class, () -> call(gadget), gadget);
        assertTrue(e.getMessage().startsWith("The answer of child "), e.getMessage());
        return e.getMessage();
    }

    private static void assertContains(String expected, String message) {
        assertTrue(message.contains(expected), "expected <" + expected + "> in: " + message);
    }

    @Test
    void aUrlMapAnswerIsRefused() {
        assertContains("cannot be read: Refused to deserialize java.net.URL: it is a known deserialization gadget"
                + " (deny list: java.net.URL); pass the URL as a String or a java.net.URI instead.",
                refusedAnswer("urlmap"));
    }

    @Test
    void aBadAttributeValueExpExceptionAnswerIsRefusedAndAsACauseLeavesAStandIn() throws Exception {
        String refusal = "Refused to deserialize javax.management.BadAttributeValueExpException: it is a known"
                + " deserialization gadget (deny list: javax.management.**).";
        assertContains(refusal, refusedAnswer("badattr"));

        RemoteServiceException thrown = assertThrows(RemoteServiceException.class, () -> call("throwbadattr"));
        assertEquals("java.lang.IllegalStateException", thrown.remoteClassName());
        assertEquals("javax.management.BadAttributeValueExpException", ((RemoteServiceException) thrown.getCause())
                .remoteClassName(), "the cause, described");
        assertTrue(Arrays.stream(thrown.getSuppressed()).anyMatch(s -> refusal.equals(s.getMessage())),
                "why the exception is a stand-in: " + Arrays.toString(thrown.getSuppressed()));
    }

    @Test
    void aQueueWithThePluginsComparatorIsRefusedBeforeItSortsInTheParent() throws Exception {
        assertContains("Refused to deserialize gadgets.PluginComparator: it is a Comparator other than the JDK's"
                + " natural, reverse and case-insensitive orders: a sorted or priority collection would run it in this"
                + " JVM while the stream is read (deny list: Comparator implementations).", refusedAnswer("queue"));
        String lambda = refusedAnswer("lambdaqueue");
        assertContains("Refused to deserialize gadgets.Service$$Lambda", lambda);
        assertContains("(deny list: Comparator implementations).", lambda);
        assertTrue(childMarks().containsAll(List.of("comparator", "lambda")),
                "the marks work: the child sorted with both when it built the queues: " + childMarks());
    }

    @Test
    void aMapWithAProxyOfThePluginsHandlerIsRefusedBeforeTheParentHashesIt() throws Exception {
        String message = refusedAnswer("proxymap");
        assertTrue(message.matches(".*Refused to deserialize \\S+\\$Proxy\\d+: it is a dynamic proxy \\(of"
                + " java.lang.Runnable\\): .*\\(deny list: dynamic proxies\\)\\."), message);
        assertTrue(childMarks().contains("handler"), "the child hashed the proxy: " + childMarks());
    }

    @Test
    void libraryGadgetsAreRefusedThoughTheirBundlesAreInstalled() {
        assertContains("Refused to deserialize org.apache.commons.collections.functors.ChainedTransformer: it is a"
                + " known deserialization gadget (deny list: org.apache.commons.collections.functors.*).",
                refusedAnswer("chain"));
        assertContains("Refused to deserialize org.apache.commons.beanutils.BeanComparator: it is a known"
                + " deserialization gadget (deny list: org.apache.commons.beanutils.BeanComparator).",
                refusedAnswer("beancomparator"));
    }

    /** The call fails in the child, which cannot read it; the message names the class and the rule. */
    private String refusedArgument(Object gadget) {
        CallNotSerializableException e = assertThrows(CallNotSerializableException.class, () -> call(gadget));
        assertTrue(e.getMessage().startsWith("The child cannot read the call: Refused to deserialize "), e.getMessage());
        return e.getMessage();
    }

    @Test
    void gadgetsAsArgumentsAreRefusedByTheChild() throws Exception {
        HashMap<java.net.URL, String> urls = new HashMap<>();
        urls.put(new java.net.URL("http://127.0.0.1:9/probe"), "x");
        assertContains("java.net.URL: it is a known deserialization gadget (deny list: java.net.URL)",
                refusedArgument(urls));
        assertContains("javax.management.BadAttributeValueExpException: it is a known deserialization gadget"
                + " (deny list: javax.management.**).",
                refusedArgument(new javax.management.BadAttributeValueExpException("x")));

        @SuppressWarnings("unchecked")
        Comparator<Object> comparator = (Comparator<Object>) plugin.loadClass("gadgets.PluginComparator")
                .getConstructor().newInstance();
        PriorityQueue<Object> queue = new PriorityQueue<>(comparator);
        queue.add("one element: the parent does not compare it while it builds the queue");
        assertContains("gadgets.PluginComparator: it is a Comparator", refusedArgument(queue));

        InvocationHandler handler = (InvocationHandler) plugin.loadClass("gadgets.PluginHandler")
                .getConstructor().newInstance();
        Object proxy = Proxy.newProxyInstance(plugin.adapt(org.osgi.framework.wiring.BundleWiring.class)
                .getClassLoader(), new Class<?>[] {Runnable.class}, handler);
        assertContains("it is a dynamic proxy (of java.lang.Runnable)", refusedArgument(new ArrayList<>(List.of(proxy))));

        assertEquals("read a java.net.URI", call(java.net.URI.create("http://example.com/")), "a URI crosses");
    }

    @Test
    void aUrlArgumentTravelsAsItsText() throws Exception {
        assertEquals("read a java.net.URL", call(new java.net.URL("http://127.0.0.1:9/probe")));
    }
}
