package dev.trampoline.runtime.remote.internal.serial;

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
