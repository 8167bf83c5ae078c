package dev.trampoline.runtime.internal.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileWriteBackTest {

    @TempDir
    Path dir;

    private static ConfigFileWriteBack writeBackOf(Path file) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(ConfigFileWriteBack.FILENAME_PROPERTY, file.toUri().toString());
        return ConfigFileWriteBack.of(props).orElseThrow();
    }

    /** What the deployer will read from the file, as it gives it to Configuration Admin. */
    private static Dictionary<String, Object> deployerReads(Path file) throws IOException {
        Dictionary<String, Object> props = ConfigFiles.read(file);
        props.put(ConfigFiles.FILENAME_PROPERTY, file.toUri().toString());
        return props;
    }

    /** Sets as the config command does: prepares, (Configuration Admin would be updated here), commits. */
    private static Dictionary<String, Object> set(ConfigFileWriteBack w, String key, String value) throws IOException {
        try (ConfigFileWriteBack.Change change = w.set(key, value)) {
            change.commit();
            return change.properties();
        }
    }

    private static Dictionary<String, Object> unset(ConfigFileWriteBack w, String key) throws IOException {
        try (ConfigFileWriteBack.Change change = w.unset(key)) {
            change.commit();
            return change.properties();
        }
    }

    private List<String> folder() throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void cfgFileKeepsItsCommentsAndWhatItReturnsIsWhatTheDeployerReads() throws Exception {
        Path cfg = Files.writeString(dir.resolve("com.example.app.cfg"),
                "# Where the app's data lives\nurl = http://localhost\n\n# how many\ncount = 1\n");
        long before = Files.getLastModifiedTime(cfg).toMillis();
        ConfigFileWriteBack w = writeBackOf(cfg);

        Dictionary<String, Object> props = set(w, "count", "2");
        assertEquals("# Where the app's data lives\nurl = http://localhost\n\n# how many\ncount = 2\n",
                Files.readString(cfg));
        assertEquals(deployerReads(cfg), props, "the deployer's re-read finds nothing new");
        assertEquals("2", props.get("count"));
        assertTrue(Files.getLastModifiedTime(cfg).toMillis() > before, "the deployer's stamp sees the change");

        props = set(w, "name", "  padded  ");
        assertEquals("padded", props.get("name"), "trimmed, as the deployer reads .cfg values");
        assertEquals(deployerReads(cfg), props);

        props = unset(w, "url");
        assertEquals("# Where the app's data lives\n\n# how many\ncount = 2\nname = \\  padded  \n",
                Files.readString(cfg));
        assertNull(props.get("url"));
        assertEquals(List.of("com.example.app.cfg"), folder(), "no temp file left behind");
    }

    @Test
    void configFileValuesKeepTheirTypes() throws Exception {
        Path config = Files.writeString(dir.resolve("com.example.typed.config"),
                "port=I\"8080\"\nnames=[\"a\",\"b\"]\nenabled=B\"true\"\nsizes=i[\"1\",\"2\"]\n");
        ConfigFileWriteBack w = writeBackOf(config);

        Dictionary<String, Object> props = set(w, "port", "9090");
        assertEquals(9090, props.get("port"));
        props = set(w, "names", "x, y, z");
        assertArrayEquals(new String[] {"x", "y", "z"}, (String[]) props.get("names"));
        props = set(w, "sizes", "3,4");
        assertArrayEquals(new int[] {3, 4}, (int[]) props.get("sizes"));
        props = set(w, "comment", "a new key is text");
        assertEquals("a new key is text", props.get("comment"));
        props = unset(w, "enabled");
        assertNull(props.get("enabled"));

        Dictionary<String, Object> reread = deployerReads(config);
        assertEquals(9090, reread.get("port"));
        assertArrayEquals(new String[] {"x", "y", "z"}, (String[]) reread.get("names"));
        assertEquals(List.of("port", "names", "sizes", "comment").stream().sorted().toList(),
                java.util.Collections.list(ConfigFiles.read(config).keys()).stream().sorted().toList());
    }

    @Test
    void aValueNotOfTheTypeIsRefusedAndTheFileIsLeftAlone() throws Exception {
        String text = "port=I\"8080\"\nenabled=B\"true\"\n";
        Path config = Files.writeString(dir.resolve("com.example.typed.config"), text);
        ConfigFileWriteBack w = writeBackOf(config);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.set("port", "eighty"));
        assertEquals("Cannot set port: 'eighty' is not a valid Integer, the type port has; give a valid Integer,"
                + " or config:unset the key first to set it as text", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> w.set("enabled", "maybe"));
        assertEquals(text, Files.readString(config));
    }

    @Test
    void anUncommittedChangeLeavesTheFileAsItWasAndNoTempFile() throws Exception {
        Path cfg = Files.writeString(dir.resolve("com.example.app.cfg"), "# c\na=1\n");
        try (ConfigFileWriteBack.Change change = writeBackOf(cfg).set("a", "2")) {
            assertEquals("2", change.properties().get("a"));
            assertEquals("a=1\n", Files.readString(cfg).substring(4), "not in place before the commit");
            assertTrue(folder().stream().anyMatch(n -> n.startsWith(".")), "hidden, so the deployer ignores it");
        }
        assertEquals("# c\na=1\n", Files.readString(cfg));
        assertEquals(List.of("com.example.app.cfg"), folder());
    }

    @Test
    void deleteRemovesTheFile() throws Exception {
        Path cfg = Files.writeString(dir.resolve("gone.cfg"), "a=1\n");
        writeBackOf(cfg).delete();
        assertFalse(Files.exists(cfg));
    }

    @Test
    void aConfigurationWithoutAnExistingFileHasNoWriteBack() throws Exception {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("a", "1");
        assertEquals(Optional.empty(), ConfigFileWriteBack.of(props));
        props.put(ConfigFileWriteBack.FILENAME_PROPERTY, dir.resolve("deleted.cfg").toUri().toString());
        assertEquals(Optional.empty(), ConfigFileWriteBack.of(props));
        assertEquals(dir.resolve("deleted.cfg"), ConfigFileWriteBack.namedFile(props));
    }

    @Test
    void aReadOnlyFileIsNamedInTheErrorAndLeftAlone() throws Exception {
        Path cfg = Files.writeString(dir.resolve("locked.cfg"), "a=1\n");
        Files.setPosixFilePermissions(cfg, PosixFilePermissions.fromString("r--r--r--"));
        assumeFalse(Files.isWritable(cfg), "running as root: every file is writable");
        ConfigFileWriteBack w = writeBackOf(cfg);

        IOException e = assertThrows(IOException.class, () -> w.set("a", "2"));
        assertEquals("cannot write " + cfg + ": the file is read-only; make it writable to change this"
                + " configuration; nothing was changed", e.getMessage());
        assertEquals("a=1\n", Files.readString(cfg));
    }
}
