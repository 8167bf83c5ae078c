package dev.trampoline.runtime.remote.internal.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.trampoline.runtime.remote.internal.call.ActiveWait;
import dev.trampoline.runtime.remote.internal.pool.PoolSettings;
import dev.trampoline.runtime.remote.internal.process.Heartbeat;
import dev.trampoline.runtime.remote.internal.process.JavaHome;
import dev.trampoline.runtime.remote.internal.wire.ReadLimit;

class ExecutorSettingsTest {

    private final List<String> warnings = new ArrayList<>();

    private ExecutorSettings read(Map<String, String> properties) {
        return ExecutorSettings.read(properties::get, warnings::add);
    }

    @Test
    void childrenGetTheRuntimesLogLevelAsASystemPropertyBeforeTheConfiguredOptions() {
        assertEquals("-Dtrampoline.log.level=DEBUG -Xmx64m", read(Map.of("trampoline.log.level", "DEBUG",
                "trampoline.child.jvmOptions", "-Xmx64m")).jvmOptions(), "so that a configured one wins");
        assertEquals("-Dtrampoline.log.level=WARN", read(Map.of("trampoline.log.level", "WARN")).jvmOptions());
        assertEquals("-Xmx64m", read(Map.of("trampoline.log.level", "not one word",
                "trampoline.child.jvmOptions", "-Xmx64m")).jvmOptions());
    }

    @Test
    void withoutPropertiesEverySettingHasItsDefault() {
        ExecutorSettings s = read(Map.of());
        assertFalse(s.inChild());
        assertEquals(ReadLimit.DEFAULT_MAX_FRAME, s.maxFrame());
        assertEquals(ExecutorSettings.DEFAULT_SERVICE_WAIT_MILLIS, s.serviceWaitMillis());
        assertEquals(ActiveWait.DEFAULT_MICROS, s.spinMicros());
        assertNull(s.classPath());
        assertNull(s.mainClass());
        assertNull(s.jit());
        assertTrue(s.cds());
        assertTrue(s.spareWanted());
        assertEquals(PoolSettings.DEFAULT, s.pool());
        assertEquals(Heartbeat.NONE, s.heartbeat(), "local children watch the parent's pid instead");
        assertEquals(List.of(), warnings);
    }

    @Test
    void readsEveryProperty() {
        ExecutorSettings s = read(Map.of("trampoline.remote.maxFrameBytes", "1024",
                "trampoline.remote.serviceWaitMillis", " 200 ", "trampoline.remote.spinMicros", "7",
                "trampoline.child.classpath", "launcher.jar", "trampoline.child.jit", "quick",
                "trampoline.child.cds", "false", "trampoline.child.jvmOptions", "-Xmx64m",
                "trampoline.child.spare", "false", "trampoline.pool.maxChildren", "3",
                "trampoline.child.heartbeatTimeoutMillis", "1500"));
        assertEquals(1024, s.maxFrame());
        assertEquals(200, s.serviceWaitMillis());
        assertEquals(7, s.spinMicros());
        assertEquals("launcher.jar", s.classPath());
        assertEquals("quick", s.jit());
        assertFalse(s.cds());
        assertEquals("-Xmx64m", s.jvmOptions());
        assertFalse(s.spareWanted());
        assertEquals(3, s.pool().maxChildren());
        assertEquals(new Heartbeat(1500), s.heartbeat());
        assertEquals(List.of(), warnings);
    }

    @Test
    void aBadValueIsReportedByNameAndItsDefaultUsed() {
        ExecutorSettings s = read(Map.of("trampoline.remote.maxFrameBytes", "huge",
                "trampoline.remote.serviceWaitMillis", "soon", "trampoline.remote.spinMicros", "-1",
                "trampoline.child.jit", "turbo", "trampoline.pool.maxChildren", "0",
                "trampoline.child.heartbeatTimeoutMillis", "10"));
        assertEquals(ReadLimit.DEFAULT_MAX_FRAME, s.maxFrame());
        assertEquals(ExecutorSettings.DEFAULT_SERVICE_WAIT_MILLIS, s.serviceWaitMillis());
        assertEquals(ActiveWait.DEFAULT_MICROS, s.spinMicros());
        assertNull(s.jit());
        assertEquals(PoolSettings.DEFAULT, s.pool());
        assertEquals(Heartbeat.NONE, s.heartbeat(), "a timeout too short to tell a partition from a hiccup");
        assertEquals(6, warnings.size(), warnings.toString());
        for (String name : List.of("maxFrameBytes", "serviceWaitMillis", "spinMicros", "trampoline.child.jit",
                "maxChildren", "heartbeatTimeoutMillis")) {
            assertTrue(warnings.stream().anyMatch(w -> w.contains(name)), name + " in " + warnings);
        }
    }

    @Test
    void childrenRunTheNamedJavaHomeOrThisOneIfItIsNoJdk() {
        String own = System.getProperty("java.home");
        assertEquals(JavaHome.current().home(), read(Map.of()).java().home());
        assertEquals(JavaHome.current().home(), read(Map.of("trampoline.child.java", own + "/.")).java().home());
        assertTrue(warnings.isEmpty(), warnings::toString);

        ExecutorSettings bad = read(Map.of("trampoline.child.java", "/no/such/jdk"));

        assertEquals(JavaHome.current().home(), bad.java().home());
        assertEquals(1, warnings.size(), warnings::toString);
        assertTrue(warnings.get(0).startsWith("trampoline.child.java: The Java home /no/such/jdk does not exist")
                && warnings.get(0).endsWith("children run on this runtime's JDK"), warnings::toString);
    }

    @Test
    void noSpareInAChildNorForAnotherMainClass() {
        assertFalse(read(Map.of("trampoline.child", "true")).spareWanted());
        assertFalse(read(Map.of("trampoline.child.main", "other.Main")).spareWanted());
    }

    @Test
    void theConfigurationTakesThePlaceOfTheFrameworkPropertiesWhileItExists() {
        ExecutorSettings s = read(Map.of("trampoline.pool.standby", "2"));
        PoolSettings configured = PoolSettings.DEFAULT.withStandby(1);
        assertEquals(configured, s.poolSettings(configured));
        assertEquals(2, s.poolSettings(null).standby(), "no configuration: the framework properties");
    }

    @Test
    void aChildKeepsNoStandbyChildren() {
        ExecutorSettings s = read(Map.of("trampoline.child", "true", "trampoline.pool.standby", "2"));
        assertEquals(0, s.poolSettings(null).standby());
        assertEquals(0, s.poolSettings(PoolSettings.DEFAULT.withStandby(3)).standby());
    }
}
