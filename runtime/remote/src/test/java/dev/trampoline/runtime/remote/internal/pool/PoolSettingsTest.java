package dev.trampoline.runtime.remote.internal.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

class PoolSettingsTest {

    @Test
    void missingValuesKeepTheirDefaults() {
        assertEquals(PoolSettings.DEFAULT, PoolSettings.from(Map.of()));
        assertEquals(PoolSettings.DEFAULT.withStandby(2), PoolSettings.from(Map.of("standby", "2")));
    }

    @Test
    void frameworkPropertiesAndConfigurationTypesAreRead() {
        Map<String, Object> props = Map.of("trampoline.pool.standby", "1", "trampoline.pool.idleTimeoutMillis", " 500 ",
                "trampoline.pool.maxCallsPerChild", "3", "trampoline.pool.maxChildren", "2",
                "trampoline.pool.maxCallsInFlight", "4", "trampoline.pool.queueSize", "5",
                "trampoline.pool.moveTimeoutMillis", "6", "trampoline.pool.startTimeoutMillis", "7",
                "trampoline.pool.cancelGraceMillis", "8");
        assertEquals(new PoolSettings(1, 500, 3, 2, 4, 5, 6, 7, 8), PoolSettings.from(props::get, "trampoline.pool."));
        assertEquals(0, PoolSettings.from(Map.of("cancelGraceMillis", "0")).cancelGraceMillis(), "0: never");
        assertEquals(10_000, PoolSettings.DEFAULT.cancelGraceMillis());
        assertEquals(PoolSettings.DEFAULT.withStandby(4), PoolSettings.from(Map.of("standby", 4L)));
    }

    @Test
    void badValuesAreRejectedNamingTheSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PoolSettings.from(Map.of("standby", "many")));
        assertTrue(e.getMessage().contains("standby is not a whole number"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PoolSettings.from(Map.of("idleTimeoutMillis", "-1")));
        assertTrue(e.getMessage().contains("must not be negative"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PoolSettings.from(Map.of("maxChildren", "0")));
        assertTrue(e.getMessage().contains("at least 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PoolSettings.from(Map.of("moveTimeoutMillis", "0")));
        assertTrue(e.getMessage().contains("at least 1"), e.getMessage());
    }
}
