package dev.trampoline.runtime.remote.internal.serial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.Supplier;

import org.apache.commons.beanutils.BeanComparator;
import org.apache.commons.collections.Transformer;
import org.apache.commons.collections.functors.ChainedTransformer;
import org.apache.commons.collections.functors.ConstantTransformer;
import org.apache.commons.collections.functors.InstantiateTransformer;
import org.apache.commons.collections.functors.InvokerTransformer;
import org.apache.commons.collections.keyvalue.TiedMapEntry;
import org.apache.commons.collections.map.LazyMap;
import org.apache.felix.framework.Felix;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Constants;

import dev.trampoline.runtime.remote.internal.serial.trampolinednsprobe.Handler;
import dev.trampoline.runtime.remote.internal.wire.Payload;

/**
 * Real gadgets, built as an attacker would, are refused when read, naming the class and the rule, before their
 * hazard runs; each hazard is shown to run when the same bytes are read without the filter, so a test cannot
 * pass because its gadget was harmless. The framework re-allows every gadget with {@code trampoline.remote.allow}
 * and shares the libraries' packages through the system bundle: the deny list must win over both.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GadgetRefusalTest {

    static {
        // URL finds the probe's handler through this property. Maven sets it at JVM start (see the pom): Felix's
        // URL handler factory reads it once, when its class loads. This covers a run of this class alone.
        System.setProperty("java.protocol.handler.pkgs", "dev.trampoline.runtime.remote.internal.serial");
    }

    private static final String CC_UNSAFE = "org.apache.commons.collections.enableUnsafeSerialization";

    /** Which hazards ran in this JVM: recorders add their mark. */
    static final Set<String> RAN = ConcurrentHashMap.newKeySet();

    private Felix framework;
    private Serialization serialization;
    private String unsafeBefore;

    @BeforeAll
    void start(@TempDir Path cache) throws Exception {
        framework = new Felix(Map.of(Constants.FRAMEWORK_STORAGE, cache.toString(),
                Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT,
                ClassFilter.ALLOW_PROPERTY, "dev.trampoline.runtime.remote.internal.serial.*, java.net.URL,"
                        + " javax.management.**, java.rmi.**, java.lang.reflect.Proxy, jdk.**,"
                        + " org.apache.commons.collections.**, org.apache.commons.collections4.**,"
                        + " org.apache.commons.beanutils.*",
                Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, "org.apache.commons.collections.functors,"
                        + "org.apache.commons.collections.keyvalue,org.apache.commons.collections.map,"
                        + "org.apache.commons.beanutils"));
        framework.start();
        serialization = new Serialization(framework.getBundleContext(), ClassFilter.Limits.DEFAULT,
                dev.trampoline.runtime.remote.internal.wire.ReadLimit.DEFAULT_MAX_FRAME);
        // Commons Collections 3.2.2 refuses to write or read its functors without this; set so that only our
        // filter stands between a stream and the chain.
        unsafeBefore = System.setProperty(CC_UNSAFE, "true");
    }

    @AfterAll
    void stop() throws Exception {
        if (unsafeBefore == null) {
            System.clearProperty(CC_UNSAFE);
        } else {
            System.setProperty(CC_UNSAFE, unsafeBefore);
        }
        framework.stop();
        framework.waitForStop(10_000);
    }

    @BeforeEach
    void forgetHazards() {
        RAN.clear();
        Handler.HOST_LOOKUPS.set(0);
    }

    // --- recorders: what a gadget makes the reader run ---

    public static final class RecordingComparator implements Comparator<Object>, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public int compare(Object a, Object b) {
            RAN.add("comparator");
            return String.valueOf(a).compareTo(String.valueOf(b));
        }
    }

    public static final class RecordingHandler implements InvocationHandler, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) {
            RAN.add("handler");
            return method.getName().equals("hashCode") ? 1 : method.getName().equals("equals") ? false : null;
        }
    }

    public static final class RecordingToString implements Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public String toString() {
            RAN.add("toString");
            return "recorded";
        }
    }

    public static final class RecordingTarget implements Serializable {
        private static final long serialVersionUID = 1L;

        public void fire() {
            RAN.add("transformer chain");
        }
    }

    public static final class RecordingBean implements Serializable {
        private static final long serialVersionUID = 1L;

        public String getProbe() {
            RAN.add("getter");
            return "probe";
        }
    }

    // --- writing and reading ---

    /**
     * Writes {@code value} as the runtime does (each class's origin beside its descriptor), putting in place of
     * each string key of {@code standIns} its value: how a stream holds what no honest writer would (a URL whose
     * hash is not computed yet, an exception whose field is not a string).
     */
    private static Payload write(Object value, Map<String, Object> standIns) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes) {
            {
                enableReplaceObject(true);
            }

            @Override
            protected Object replaceObject(Object obj) {
                return obj instanceof String s && standIns.containsKey(s) ? standIns.get(s) : obj;
            }

            @Override
            protected void annotateClass(Class<?> cl) throws IOException {
                writeUTF(ClassOrigin.of(cl));
            }

            @Override
            protected void annotateProxyClass(Class<?> cl) throws IOException {
                for (Class<?> i : cl.getInterfaces()) {
                    writeUTF(ClassOrigin.of(i));
                }
            }
        }) {
            out.writeObject(value);
        }
        return Payload.of(bytes.toByteArray());
    }

    /** Reads {@code payload} as plain Java deserialization would, without any filter. */
    private static Object readUnfiltered(Payload payload) throws Exception {
        try (ObjectInputStream in = new ObjectInputStream(payload.stream()) {
            @Override
            protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
                readUTF(); // the origin
                return Class.forName(desc.getName(), false, GadgetRefusalTest.class.getClassLoader());
            }

            @Override
            protected Class<?> resolveProxyClass(String[] interfaces) throws IOException, ClassNotFoundException {
                for (int i = 0; i < interfaces.length; i++) {
                    readUTF();
                }
                return super.resolveProxyClass(interfaces);
            }
        }) {
            return in.readObject();
        }
    }

    /**
     * Reading {@code gadget} is refused with {@code message} and runs no hazard; unfiltered, it runs {@code hazard}
     * (null: not on this JDK).
     */
    private void assertRefused(Payload gadget, String message, String hazard) throws Exception {
        Serialization.ReadException e = assertThrows(Serialization.ReadException.class,
                () -> serialization.read(gadget));
        assertEquals(message, e.getMessage());
        assertTrue(e.refused());
        assertEquals(Set.of(), RAN, "hazards that ran while the filtered stream was read");
        if (hazard == null) {
            return;
        }

        try {
            readUnfiltered(gadget);
        } catch (Exception expected) {
            // some gadgets fail once their hazard ran: what matters is that it ran
        }
        assertTrue(RAN.contains(hazard), "without the filter, the gadget runs its " + hazard + ": " + RAN);
        RAN.clear();
    }

    private static String gadget(String cls, String rule) {
        return "Refused to deserialize " + cls + ": it is a known deserialization gadget (deny list: " + rule + ").";
    }

    private static final String COMPARATOR_RULE = ": it is a Comparator other than the JDK's natural, reverse and"
            + " case-insensitive orders: a sorted or priority collection would run it in this JVM while the stream"
            + " is read (deny list: Comparator implementations).";

    // --- JDK gadgets ---

    @Test
    void urlMapIsRefusedBeforeAnyHostNameIsResolved() throws Exception {
        URL url = new URL("trampolinednsprobe://gadget.example/"); // not hashed yet: reading would hash it
        HashMap<Object, String> map = new HashMap<>(Map.of("URL", "x"));
        Payload urldns = write(map, Map.of("URL", url));

        Serialization.ReadException e = assertThrows(Serialization.ReadException.class,
                () -> serialization.read(urldns));
        assertEquals("Refused to deserialize java.net.URL: it is a known deserialization gadget (deny list:"
                + " java.net.URL); pass the URL as a String or a java.net.URI instead.", e.getMessage());
        assertEquals(0, Handler.HOST_LOOKUPS.get(), "host names resolved while the filtered stream was read");

        readUnfiltered(urldns);
        assertEquals(1, Handler.HOST_LOOKUPS.get(), "without the filter, reading hashes the URL: a DNS lookup");
    }

    @Test
    void badAttributeValueExpExceptionIsRefusedBeforeItCallsToString() throws Exception {
        var exception = new javax.management.BadAttributeValueExpException("VAL"); // its field is the string "VAL"
        Payload gadget = write(exception, Map.of("VAL", new RecordingToString()));
        // JDK updates since 2024 no longer call toString on the field while reading; older ones do, and the filter
        // does not depend on which JDK reads.
        assertRefused(gadget, gadget("javax.management.BadAttributeValueExpException", "javax.management.**"), null);
        readUnfiltered(gadget);
        assertEquals(Set.of(), RAN, "this JDK calls no toString");
    }

    @Test
    void collectionsWithAPluginComparatorAreRefusedBeforeTheyCompare() throws Exception {
        PriorityQueue<String> queue = new PriorityQueue<>(new RecordingComparator());
        queue.addAll(java.util.List.of("b", "a", "c"));
        ConcurrentSkipListMap<String, String> skipList = new ConcurrentSkipListMap<>(new RecordingComparator());
        skipList.put("a", "1");
        skipList.put("b", "2");
        RAN.clear();
        String name = RecordingComparator.class.getName();

        assertRefused(serialization.write(queue), "Refused to deserialize " + name + COMPARATOR_RULE, "comparator");
        assertRefused(serialization.write(skipList), "Refused to deserialize " + name + COMPARATOR_RULE,
                "comparator");

        // These do not compare while they are read; they would later, in the caller's code.
        TreeMap<String, String> tree = new TreeMap<>(new RecordingComparator());
        TreeSet<String> set = new TreeSet<>(new RecordingComparator());
        ConcurrentSkipListSet<String> skipSet = new ConcurrentSkipListSet<>(new RecordingComparator());
        for (Object sorted : java.util.List.of(tree, set, skipSet)) {
            Serialization.ReadException e = assertThrows(Serialization.ReadException.class,
                    () -> serialization.read(serialization.write(sorted)));
            assertEquals("Refused to deserialize " + name + COMPARATOR_RULE, e.getMessage(), sorted.getClass().getName());
        }
        assertEquals(Set.of(), RAN);
    }

    @Test
    void aLambdaComparatorIsRefusedOnceResolvedBeforeTheQueueSortsWithIt() throws Exception {
        Comparator<String> lambda = (Comparator<String> & Serializable) (a, b) -> {
            RAN.add("lambda comparator");
            return a.compareTo(b);
        };
        PriorityQueue<String> queue = new PriorityQueue<>(lambda);
        queue.addAll(java.util.List.of("b", "a"));
        RAN.clear();

        Serialization.ReadException e = assertThrows(Serialization.ReadException.class,
                () -> serialization.read(serialization.write(queue)));
        assertTrue(e.getMessage().startsWith("Refused to deserialize " + GadgetRefusalTest.class.getName() + "$$Lambda")
                && e.getMessage().endsWith(COMPARATOR_RULE), e.getMessage());
        assertEquals(Set.of(), RAN);
        readUnfiltered(serialization.write(queue));
        assertEquals(Set.of("lambda comparator"), RAN, "without the filter, the queue sorts with the lambda");
    }

    @Test
    void aProxyIsRefusedBeforeCollectionsCallItsHandler() throws Exception {
        Object proxy = Proxy.newProxyInstance(GadgetRefusalTest.class.getClassLoader(),
                new Class<?>[] {Runnable.class}, new RecordingHandler());
        HashMap<Object, String> map = new HashMap<>();
        map.put(proxy, "x");
        RAN.clear();
        Payload gadget = serialization.write(map);

        Serialization.ReadException e = assertThrows(Serialization.ReadException.class,
                () -> serialization.read(gadget));
        // named as this JVM names the proxy class it defines while reading
        assertTrue(e.getMessage().matches("Refused to deserialize \\S+\\$Proxy\\d+: it is a dynamic proxy \\(of"
                + " java.lang.Runnable\\): its InvocationHandler would run in this JVM .*"), e.getMessage());
        assertTrue(e.getMessage().endsWith("(deny list: dynamic proxies)."), e.getMessage());
        assertEquals(Set.of(), RAN);
        readUnfiltered(gadget);
        assertEquals(Set.of("handler"), RAN, "without the filter, the map hashes its key: the handler runs");
    }

    @Test
    void anInvocationHandlerIsRefusedWhereverItIs() throws Exception {
        Serialization.ReadException e = assertThrows(Serialization.ReadException.class,
                () -> serialization.read(serialization.write(java.util.List.of(new RecordingHandler()))));
        assertEquals("Refused to deserialize " + RecordingHandler.class.getName() + ": it is an InvocationHandler:"
                + " a proxy would run it in this JVM, also while the stream is read (deny list: InvocationHandler"
                + " implementations).", e.getMessage());
    }

    @Test
    void jmxAndRmiObjectsAreRefusedThoughTheAllowPropertyNamesThem() throws Exception {
        Serialization.ReadException e = assertThrows(Serialization.ReadException.class,
                () -> serialization.read(serialization.write(new javax.management.ObjectName("a:b=c"))));
        assertEquals(gadget("javax.management.ObjectName", "javax.management.**"), e.getMessage());

        e = assertThrows(Serialization.ReadException.class,
                () -> serialization.read(serialization.write(new java.rmi.server.UID())));
        assertEquals(gadget("java.rmi.server.UID", "java.rmi.**"), e.getMessage());

        e = assertThrows(Serialization.ReadException.class,
                () -> serialization.read(serialization.write(new java.rmi.MarshalledObject<>("inner"))));
        assertEquals(gadget("java.rmi.MarshalledObject", "java.rmi.**"), e.getMessage());
    }

    // --- library gadgets, real objects of the libraries' published jars ---

    @Test
    void commonsCollectionsTransformerChainIsRefusedBeforeItRuns() throws Exception {
        Transformer chain = new ChainedTransformer(new Transformer[] {new ConstantTransformer(new RecordingTarget()),
                new InvokerTransformer("fire", new Class<?>[0], new Object[0])});
        Map<Object, Object> inner = new HashMap<>();
        @SuppressWarnings("unchecked")
        Map<Object, Object> lazy = LazyMap.decorate(inner, chain);
        HashMap<Object, Object> cc6 = new HashMap<>();
        cc6.put(new TiedMapEntry(lazy, "key"), "value"); // hashing the entry runs the chain once, here
        inner.clear(); // so that reading runs it again

        RAN.clear();
        assertRefused(serialization.write(cc6),
                gadget(TiedMapEntry.class.getName(), "org.apache.commons.collections.keyvalue.TiedMapEntry"),
                "transformer chain");

        for (Object functor : java.util.List.of(chain, new InvokerTransformer("fire", new Class<?>[0], new Object[0]),
                new InstantiateTransformer(new Class<?>[0], new Object[0]))) {
            Serialization.ReadException e = assertThrows(Serialization.ReadException.class,
                    () -> serialization.read(serialization.write(functor)));
            assertEquals(gadget(functor.getClass().getName(), "org.apache.commons.collections.functors.*"),
                    e.getMessage());
        }
        assertEquals(Set.of(), RAN);
    }

    @Test
    void commonsCollections4TransformingComparatorIsRefused() throws Exception {
        var chain = new org.apache.commons.collections4.functors.ChainedTransformer<Object>(
                org.apache.commons.collections4.functors.ConstantTransformer.constantTransformer("same"));
        PriorityQueue<Object> queue = new PriorityQueue<>(
                new org.apache.commons.collections4.comparators.TransformingComparator<>(chain));
        queue.addAll(java.util.List.of("b", "a"));

        Serialization.ReadException e = assertThrows(Serialization.ReadException.class,
                () -> serialization.read(serialization.write(queue)));
        assertEquals(gadget("org.apache.commons.collections4.comparators.TransformingComparator",
                "org.apache.commons.collections4.comparators.TransformingComparator"), e.getMessage());
        e = assertThrows(Serialization.ReadException.class,
                () -> serialization.read(serialization.write(chain)));
        assertEquals(gadget("org.apache.commons.collections4.functors.ChainedTransformer",
                "org.apache.commons.collections4.functors.*"), e.getMessage());
    }

    @Test
    void beanComparatorIsRefusedBeforeItCallsAGetter() throws Exception {
        PriorityQueue<Object> queue = new PriorityQueue<>(new BeanComparator<>("probe"));
        queue.add(new RecordingBean());
        queue.add(new RecordingBean());
        RAN.clear();

        assertRefused(serialization.write(queue), gadget("org.apache.commons.beanutils.BeanComparator",
                "org.apache.commons.beanutils.BeanComparator"), "getter");
    }

    // --- what still crosses ---

    /** A plugin's own exception (here: a class of a package the allow property names). */
    public static final class PluginException extends Exception {
        private static final long serialVersionUID = 1L;

        PluginException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    record Point(int x, int y) implements Serializable {
    }

    @SuppressWarnings("unchecked")
    private <T> T roundTrip(T value) throws Exception {
        return (T) serialization.read(serialization.write(value));
    }

    @Test
    void exceptionsOfTheListAndPluginExceptionsCross() throws Exception {
        IllegalStateException e = roundTrip(new IllegalStateException("outer", new java.io.IOException("inner")));
        assertEquals("inner", e.getCause().getMessage());
        for (Throwable t : java.util.List.of(new java.io.UncheckedIOException(new java.io.FileNotFoundException("f")),
                new java.util.concurrent.ExecutionException(new java.util.ConcurrentModificationException()),
                new java.time.DateTimeException("d"), new java.net.URISyntaxException("u", "bad"),
                new java.net.UnknownHostException("h"), new java.nio.file.NoSuchFileException("f"),
                new java.sql.SQLException("s"), new java.lang.reflect.InvocationTargetException(new Error()),
                new PluginException("p", new IllegalArgumentException("a")))) {
            assertEquals(t.getClass(), roundTrip(t).getClass());
        }
    }

    @Test
    void collectionsInNaturalOrJdkOrderCross() throws Exception {
        PriorityQueue<String> natural = new PriorityQueue<>(java.util.List.of("b", "a", "c"));
        assertEquals("a", roundTrip(natural).peek());
        TreeMap<String, Integer> tree = new TreeMap<>(Map.of("b", 2, "a", 1));
        assertEquals(tree, roundTrip(tree));
        TreeSet<String> reversed = new TreeSet<>(java.util.Collections.reverseOrder());
        reversed.addAll(java.util.List.of("a", "b"));
        assertEquals("b", roundTrip(reversed).first());
        TreeSet<String> caseInsensitive = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        caseInsensitive.addAll(java.util.List.of("B", "a"));
        assertEquals("a", roundTrip(caseInsensitive).first());
        PriorityQueue<String> nullsFirst = new PriorityQueue<>(Comparator.nullsFirst(Comparator.<String>naturalOrder()));
        nullsFirst.addAll(java.util.List.of("b", "a"));
        assertEquals("a", roundTrip(nullsFirst).peek());
        ConcurrentSkipListMap<String, String> skipList = new ConcurrentSkipListMap<>(
                java.util.Collections.reverseOrder(String.CASE_INSENSITIVE_ORDER));
        skipList.put("a", "1");
        skipList.put("B", "2");
        assertEquals("B", roundTrip(skipList).firstKey());
    }

    @Test
    void urisRecordsAndLambdasCross() throws Exception {
        assertEquals(java.net.URI.create("https://example.com/a?b"), roundTrip(java.net.URI.create("https://example.com/a?b")));
        assertEquals(new Point(1, 2), roundTrip(new Point(1, 2)));
        Supplier<String> task = (Supplier<String> & Serializable) () -> "ran";
        assertEquals("ran", roundTrip(task).get());
    }
}
