package dev.trampoline.runtime.contract.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotFileTest {

    @TempDir
    Path dir;

    private static SnapshotFile.Entry plugin(String location, int startOrder, boolean fragment) {
        return new SnapshotFile.Entry(location, "a", "1.0.0", "aa", 2, true, true, startOrder, "starts", false,
                fragment);
    }

    private static SnapshotFile.Entry runtime() {
        return new SnapshotFile.Entry(SnapshotFile.RUNTIME_LOCATION_PREFIX + "scr.jar", "scr", "2.2.10", "bb", 1, true,
                false, 0, "runtime", true, false);
    }

    @Test
    void readsBackAsWritten() throws Exception {
        SnapshotFile written = new SnapshotFile("h1", dir.resolve("store"),
                Map.of("org.osgi.framework.bootdelegation", "sun.*"), List.of(plugin("file:/deploy/a b.jar", 1, false),
                        runtime()));
        Path file = StoreLayout.snapshotFile(dir.resolve("store"), "h1");

        written.write(file);

        assertEquals(written, SnapshotFile.read(file));
        try (var leftovers = Files.list(file.getParent())) {
            assertEquals(List.of(file), leftovers.toList(), "no temporary file left");
        }
    }

    @Test
    void writesTheKeysOfTheContract() throws Exception {
        Path file = dir.resolve("s.properties");
        new SnapshotFile("h1", dir, Map.of("k", "v"), List.of(plugin("file:/a.jar", 0, true))).write(file);

        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        assertEquals("h1", p.getProperty("hash"));
        assertEquals(dir.toString(), p.getProperty("store"));
        assertEquals("v", p.getProperty("framework.k"));
        assertEquals("1", p.getProperty("bundle.count"));
        assertEquals("file:/a.jar", p.getProperty("bundle.0.location"));
        assertEquals("aa", p.getProperty("bundle.0.sha256"));
        assertEquals("2", p.getProperty("bundle.0.startLevel"));
        assertEquals("true", p.getProperty("bundle.0.lazy"));
        assertEquals("starts", p.getProperty("bundle.0.child"));
        assertEquals("true", p.getProperty("bundle.0.fragment"));
    }

    @Test
    void levelsOrderAndFlagsHaveDefaults() {
        Properties p = new Properties();
        p.setProperty("store", "/s");
        p.setProperty("bundle.count", "2");
        for (int i = 0; i < 2; i++) {
            p.setProperty("bundle." + i + ".location", "file:/" + i + ".jar");
            p.setProperty("bundle." + i + ".sha256", "s" + i);
        }

        SnapshotFile s = SnapshotFile.of(p);

        assertEquals("", s.hash());
        assertEquals(1, s.bundles().get(1).startLevel());
        assertEquals(1, s.bundles().get(1).startOrder(), "install order");
        assertFalse(s.bundles().get(0).start());
        assertFalse(s.hasFragments());
        assertEquals(Path.of("/s/s0.jar"), s.jar(s.bundles().get(0)));
    }

    @Test
    void tellsTheRuntimesBundlesFromPlugins() {
        assertTrue(runtime().runtime());
        assertFalse(plugin("file:/a.jar", 0, false).runtime());
    }

    @Test
    void aMissingKeyOrABadNumberIsNamedWithTheFile() throws Exception {
        Path file = dir.resolve("bad.properties");
        Files.writeString(file, "store=/s\nbundle.count=1\nbundle.0.location=file:/a.jar\n");
        IOException noSha = assertThrows(IOException.class, () -> SnapshotFile.read(file));
        assertEquals("snapshot file " + file + ": no bundle.0.sha256 (the parent's remote bundle writes every"
                + " snapshot)", noSha.getMessage());

        Files.writeString(file, "store=/s\nbundle.count=one\n");
        IOException badCount = assertThrows(IOException.class, () -> SnapshotFile.read(file));
        assertEquals("snapshot file " + file + ": bundle.count is 'one', not a whole number", badCount.getMessage());

        Files.writeString(file, "bundle.count=0\n");
        IOException noStore = assertThrows(IOException.class, () -> SnapshotFile.read(file));
        assertTrue(noStore.getMessage().endsWith(": no store (the parent's remote bundle writes every snapshot)"),
                noStore.getMessage());
    }
}
