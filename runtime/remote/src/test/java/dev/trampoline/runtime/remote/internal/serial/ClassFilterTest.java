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
        assertTrue(big.rejectedClass().startsWith("limits exceeded"), big.rejectedClass());
    }

    @Test
    void refusedClassIsRememberedAndHostPackagesAreAllowedOnlyWhenShared() {
        ClassFilter filter = ClassFilter.of(rules, java.util.Set.of("dev.trampoline.runtime.remote.internal.serial"),
                ClassFilter.Limits.DEFAULT);
        assertEquals(java.io.ObjectInputFilter.Status.ALLOWED, filter.checkInput(info(ClassFilterTest.class, -1, 1, 1, 1)),
                "a class of a package the host shares");
        assertEquals(java.io.ObjectInputFilter.Status.REJECTED,
                filter.checkInput(info(java.awt.Point.class, -1, 1, 1, 1)));
        assertEquals("java.awt.Point", filter.rejectedClass());
        assertEquals(java.io.ObjectInputFilter.Status.ALLOWED,
                filter.checkInput(info(java.sql.SQLException.class, -1, 1, 1, 1)), "JDK exceptions always cross");
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
}
