package dev.trampoline.runtime.remote.internal.serial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class ClassFilterTest {

    private final List<String> rules = ClassFilter.DEFAULT_ALLOW;

    @Test
    void defaultRulesAllowEverydayJdkValueTypes() {
        for (String c : List.of("java.lang.String", "java.lang.Integer", "java.util.ArrayList", "java.util.HashMap",
                "java.util.concurrent.ConcurrentHashMap", "java.util.concurrent.atomic.AtomicLong",
                "java.time.Instant", "java.time.chrono.HijrahDate", "java.math.BigDecimal", "java.net.URI",
                "java.lang.invoke.SerializedLambda")) {
            assertTrue(ClassFilter.matches(rules, c), c);
        }
    }

    @Test
    void urlIsNoLongerAllowed() {
        assertFalse(ClassFilter.matches(rules, "java.net.URL"));
    }

    @Test
    void defaultRulesRefuseTheRestOfTheJdk() {
        for (String c : List.of("java.awt.Point", "javax.management.ObjectName", "java.rmi.MarshalledObject",
                "java.lang.invoke.MethodHandle", "java.lang.reflect.Proxy", "com.sun.rowset.JdbcRowSetImpl",
                "java.beans.PropertyChangeSupport")) {
            assertFalse(ClassFilter.matches(rules, c), c);
        }
    }

    private static java.io.ObjectInputFilter.FilterInfo info(Class<?> type, long arrayLength, long depth, long refs,
            long bytes) {
        return new java.io.ObjectInputFilter.FilterInfo() {
            public Class<?> serialClass() { return type; }
            public long arrayLength() { return arrayLength; }
            public long depth() { return depth; }
            public long references() { return refs; }
            public long streamBytes() { return bytes; }
        };
    }

    @Test
    void limitsOnDepthArrayLengthReferencesAndBytesRejectTheStream() {
        ClassFilter.Limits limits = new ClassFilter.Limits(10, 1000, 100, 10_000);
        ClassFilter filter = ClassFilter.of(rules, java.util.Set.of(), limits);
        java.io.ObjectInputFilter.Status ok = java.io.ObjectInputFilter.Status.ALLOWED;
        java.io.ObjectInputFilter.Status no = java.io.ObjectInputFilter.Status.REJECTED;

        assertEquals(ok, filter.checkInput(info(String.class, -1, 10, 100, 10_000)), "at the limits");
        assertEquals(no, filter.fresh().checkInput(info(String.class, -1, 11, 1, 1)), "too deep");
        assertEquals(no, filter.fresh().checkInput(info(byte[].class, 1001, 1, 1, 1)), "array too long");
        assertEquals(no, filter.fresh().checkInput(info(String.class, -1, 1, 101, 1)), "too many references");
        ClassFilter big = filter.fresh();
        assertEquals(no, big.checkInput(info(String.class, -1, 1, 1, 10_001)), "too many bytes");
        assertEquals("Refused to deserialize the stream: limit exceeded: bytes 10001 > 10000 (stream size)",
                big.refusal().message());
        ClassFilter deep = filter.fresh();
        deep.checkInput(info(String.class, -1, 11, 1, 1));
        assertEquals("limit exceeded: depth 11 > 10 (nesting)", deep.refusal().reason());
        assertEquals(null, deep.refusal().className(), "a limit is not a class");
    }

    @Test
    void refusedClassIsRememberedAndHostPackagesAreAllowedOnlyWhenShared() {
        ClassFilter filter = ClassFilter.of(rules, java.util.Set.of("dev.trampoline.runtime.remote.internal.serial"),
                ClassFilter.Limits.DEFAULT);
        assertEquals(java.io.ObjectInputFilter.Status.ALLOWED, filter.checkInput(info(ClassFilterTest.class, -1, 1, 1, 1)),
                "a class of a package the host shares");
        assertEquals(java.io.ObjectInputFilter.Status.REJECTED,
                filter.checkInput(info(java.awt.Point.class, -1, 1, 1, 1)));
        assertEquals("java.awt.Point", filter.refusal().className());
        assertTrue(filter.refusal().reason().startsWith("it comes neither from a bundle of the snapshot nor from the"
                + " allowed JDK classes; allow it with the framework property trampoline.remote.allow"),
                filter.refusal().reason());
        assertEquals(java.io.ObjectInputFilter.Status.ALLOWED,
                filter.checkInput(info(java.sql.SQLException.class, -1, 1, 1, 1)), "a JDK exception of a listed package");
        ClassFilter notShared = ClassFilter.of(rules, java.util.Set.of(), ClassFilter.Limits.DEFAULT);
        assertEquals(java.io.ObjectInputFilter.Status.REJECTED,
                notShared.checkInput(info(ClassFilterTest.class, -1, 1, 1, 1)), "a host class nobody shared");
    }

    @Test
    void rulesMatchOnePackageAPackageTreeOrAName() {
        List<String> r = List.of("com.a.*", "com.b.**", "com.c.Exact");
        assertTrue(ClassFilter.matches(r, "com.a.X"));
        assertFalse(ClassFilter.matches(r, "com.a.sub.X"), "pkg.* is that package only");
        assertTrue(ClassFilter.matches(r, "com.b.X"));
        assertTrue(ClassFilter.matches(r, "com.b.sub.deep.X"));
        assertFalse(ClassFilter.matches(r, "com.bb.X"));
        assertTrue(ClassFilter.matches(r, "com.c.Exact"));
        assertFalse(ClassFilter.matches(r, "com.c.Other"));
    }

    @Test
    void jdkExceptionsCrossByPackageNotAsEveryThrowable() {
        ClassFilter filter = ClassFilter.of(rules, java.util.Set.of(), ClassFilter.Limits.DEFAULT);
        for (Class<?> allowed : List.of(IllegalStateException.class, java.io.IOException.class,
                java.io.UncheckedIOException.class, java.util.concurrent.ExecutionException.class,
                java.util.concurrent.TimeoutException.class, java.time.format.DateTimeParseException.class,
                java.net.SocketTimeoutException.class, java.net.MalformedURLException.class,
                java.nio.file.AccessDeniedException.class, java.sql.SQLException.class,
                java.lang.reflect.UndeclaredThrowableException.class, java.util.zip.ZipException.class,
                java.security.GeneralSecurityException.class)) {
            assertEquals(null, filter.decide(allowed), allowed.getName());
        }
        assertEquals("it comes neither from a bundle of the snapshot nor from the allowed JDK classes; allow it with"
                + " the framework property trampoline.remote.allow if it is safe",
                filter.decide(java.awt.AWTException.class).reason(), "a JDK exception of another package");
        assertEquals("it is a known deserialization gadget (deny list: javax.management.**)",
                filter.decide(javax.management.BadAttributeValueExpException.class).reason());
        assertEquals("it is a known deserialization gadget (deny list: java.rmi.**)",
                filter.decide(java.rmi.RemoteException.class).reason(), "denied though an exception");
    }

    @Test
    void theDenyListWinsOverTheAllowPropertyAndTheHostPackagesAndArraysDoNotHideAGadget() throws Exception {
        List<String> allowAll = new java.util.ArrayList<>(rules);
        allowAll.addAll(List.of("java.net.*", "javax.management.**", "sun.**", "com.sun.**"));
        ClassFilter filter = ClassFilter.of(allowAll,
                java.util.Set.of("java.net", "javax.management", "dev.trampoline.runtime.remote.internal.serial"),
                ClassFilter.Limits.DEFAULT);
        assertEquals("java.net.URL", filter.decide(java.net.URL[][].class).className());
        assertEquals(null, filter.decide(java.net.URI.class));
        assertTrue(filter.decide(javax.management.ObjectName.class) != null);
        assertEquals("it is a known deserialization gadget (deny list:"
                + " com.sun.org.apache.xalan.internal.xsltc.trax.TemplatesImpl)",
                filter.decide(Class.forName("com.sun.org.apache.xalan.internal.xsltc.trax.TemplatesImpl")).reason());
        assertTrue(filter.decide(Comparators.Plugin.class).reason().contains("deny list: Comparator implementations"));
        assertEquals(null, filter.decide(java.util.Collections.reverseOrder().getClass()));
        assertEquals(null, filter.decide(String.CASE_INSENSITIVE_ORDER.getClass()));
        assertEquals(null, filter.decide(java.util.Comparator.naturalOrder().getClass()));
    }

    /** A plugin's comparator, for the rule that refuses it. */
    static final class Comparators {
        static final class Plugin implements java.util.Comparator<String>, java.io.Serializable {
            private static final long serialVersionUID = 1L;

            @Override
            public int compare(String a, String b) {
                return 0;
            }
        }
    }

    @Test
    void theDenyPropertyAddsRulesOfItsOwn() {
        ClassFilter filter = ClassFilter.of(rules, List.of("dev.trampoline.runtime.remote.internal.serial.*"),
                java.util.Set.of("dev.trampoline.runtime.remote.internal.serial"), ClassFilter.Limits.DEFAULT);
        assertEquals("it is denied by the framework property trampoline.remote.deny"
                + " (dev.trampoline.runtime.remote.internal.serial.*)", filter.decide(ClassFilterTest.class).reason());
    }

    /** Gadgets of libraries the tests do not have: named by the deny list. */
    @Test
    void libraryGadgetsAreDeniedByName() {
        java.util.Map<String, String> expected = new java.util.LinkedHashMap<>();
        expected.put("org.codehaus.groovy.runtime.MethodClosure", "org.codehaus.groovy.runtime.MethodClosure");
        expected.put("org.codehaus.groovy.runtime.ConvertedClosure", "org.codehaus.groovy.runtime.ConvertedClosure");
        expected.put("org.springframework.beans.factory.support.AutowireUtils$ObjectFactoryDelegatingInvocationHandler",
                "org.springframework.beans.factory.support.AutowireUtils$ObjectFactoryDelegatingInvocationHandler");
        expected.put("org.springframework.core.SerializableTypeWrapper$MethodInvokeTypeProvider",
                "org.springframework.core.SerializableTypeWrapper$*");
        expected.put("com.mchange.v2.c3p0.PoolBackedDataSource", "com.mchange.v2.c3p0.**PoolBackedDataSource*");
        expected.put("com.mchange.v2.c3p0.impl.PoolBackedDataSourceBase", "com.mchange.v2.c3p0.**PoolBackedDataSource*");
        expected.put("com.mchange.v2.c3p0.impl.AbstractPoolBackedDataSource",
                "com.mchange.v2.c3p0.**PoolBackedDataSource*");
        expected.put("com.mchange.v2.naming.ReferenceIndirector$ReferenceSerialized",
                "com.mchange.v2.naming.ReferenceIndirector$ReferenceSerialized");
        expected.put("com.sun.syndication.feed.impl.ObjectBean", "com.sun.syndication.feed.impl.ObjectBean");
        expected.put("com.sun.syndication.feed.impl.ToStringBean", "com.sun.syndication.feed.impl.ToStringBean");
        expected.put("com.sun.syndication.feed.impl.EqualsBean", "com.sun.syndication.feed.impl.EqualsBean");
        expected.put("com.rometools.rome.feed.impl.ObjectBean", "com.rometools.rome.feed.impl.*");
        expected.put("org.apache.xalan.xsltc.trax.TemplatesImpl", "org.apache.xalan.xsltc.trax.TemplatesImpl");
        expected.put("org.apache.commons.collections.functors.InvokerTransformer",
                "org.apache.commons.collections.functors.*");
        expected.put("org.apache.commons.collections4.functors.InstantiateTransformer",
                "org.apache.commons.collections4.functors.*");
        expected.put("org.apache.commons.beanutils.BeanComparator", "org.apache.commons.beanutils.BeanComparator");
        expected.put("sun.reflect.annotation.AnnotationInvocationHandler", "sun.**");
        expected.put("jdk.internal.Something", "jdk.**");
        expected.forEach((name, rule) -> assertEquals(rule, GadgetRules.deniedName(name), name));

        for (String fine : List.of("com.mchange.v2.c3p0.ComboPooledDataSourceX", "org.codehaus.groovy.runtime.GStringImpl",
                "org.springframework.core.SerializableTypeWrapperX", "com.rometools.rome.feed.impl.sub.X",
                "java.net.URI", "java.net.URLDecoder", "javax.managementx.X")) {
            assertEquals(null, GadgetRules.deniedName(fine), fine);
        }
    }
}
