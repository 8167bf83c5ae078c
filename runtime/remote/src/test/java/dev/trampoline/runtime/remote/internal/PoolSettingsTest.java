package dev.trampoline.runtime.remote.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.trampoline.runtime.remote.internal.child.PoolSettings;

class PoolSettingsTest {

    @Test
    void missingValuesKeepTheirDefaults() {
        assertEquals(PoolSettings.DEFAULT, PoolSettings.from(Map.of()));
        assertEquals(new PoolSettings(2, 300_000, 0), PoolSettings.from(Map.of("standby", "2")));
    }

    @Test
    void frameworkPropertiesAndConfigurationTypesAreRead() {
        Map<String, Object> props = Map.of("trampoline.pool.standby", "1", "trampoline.pool.idleTimeoutMillis", " 500 ",
                "trampoline.pool.maxCallsPerChild", "3");
        assertEquals(new PoolSettings(1, 500, 3), PoolSettings.from(props::get, "trampoline.pool."));
        assertEquals(new PoolSettings(4, 300_000, 0), PoolSettings.from(Map.of("standby", 4L)));
    }

    @Test
    void badValuesAreRejectedNamingTheSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PoolSettings.from(Map.of("standby", "many")));
        assertTrue(e.getMessage().contains("standby is not a whole number"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PoolSettings.from(Map.of("idleTimeoutMillis", "-1")));
        assertTrue(e.getMessage().contains("must not be negative"), e.getMessage());
    }
}
