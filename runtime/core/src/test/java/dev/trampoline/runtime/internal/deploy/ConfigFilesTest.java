package dev.trampoline.runtime.internal.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFilesTest {

    @TempDir
    Path dir;

    @Test
    void plainFileNameIsAPid() {
        ConfigFiles.Target t = ConfigFiles.targetOf(Path.of("com.example.app.cfg"));
        assertFalse(t.isFactory());
        assertEquals("com.example.app", t.effectivePid());
    }

    @Test
    void firstDashSeparatesFactoryPidFromName() {
        ConfigFiles.Target t = ConfigFiles.targetOf(Path.of("com.example.pool-db-primary.config"));
        assertTrue(t.isFactory());
        assertEquals("com.example.pool", t.factoryPid());
        assertEquals("db-primary", t.name());
        assertEquals("com.example.pool~db-primary", t.effectivePid());
    }

    @Test
    void cfgFilesAreUtf8PropertiesWithTrimmedValues() throws Exception {
        Path f = Files.writeString(dir.resolve("a.cfg"), "# comment\ngreeting =  Grüß Gott  \nempty=\n");
        Dictionary<String, Object> d = ConfigFiles.read(f);
        assertEquals("Grüß Gott", d.get("greeting"));
        assertEquals("", d.get("empty"));
        assertEquals(2, d.size());
    }
}
