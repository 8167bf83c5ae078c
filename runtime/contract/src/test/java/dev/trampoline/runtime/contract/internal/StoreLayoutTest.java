package dev.trampoline.runtime.contract.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class StoreLayoutTest {

    private final Path store = Path.of("/data/remote/store");

    @Test
    void namesTheStoresFiles() {
        assertEquals(Path.of("/data/remote/store/ab12.jar"), StoreLayout.jar(store, "ab12"));
        assertEquals(Path.of("/data/remote/store/snapshots/cd34.properties"), StoreLayout.snapshotFile(store, "cd34"));
        assertEquals(Path.of("/data/remote/store/prepared/cd34"), StoreLayout.preparedCache(store, "cd34"));
        assertEquals(Path.of("/data/remote/cds"), StoreLayout.classDataArchives(store));
        assertEquals(Path.of("/tmp/child/configurations"), StoreLayout.childConfigurations(Path.of("/tmp/child")));
        assertEquals(Path.of("/tmp/child/cache"), StoreLayout.childCache(Path.of("/tmp/child")));
    }

    @Test
    void readsTheHashBackFromAName() {
        assertEquals("ab12", StoreLayout.jarHash(StoreLayout.jar(store, "ab12")));
        assertEquals("cd34", StoreLayout.snapshotHash(StoreLayout.snapshotFile(store, "cd34")));
        assertNull(StoreLayout.jarHash(Path.of("ab12.jar.tmp")));
        assertNull(StoreLayout.jarHash(Path.of(".jar")));
        assertNull(StoreLayout.snapshotHash(Path.of("cd34.tmp")));
    }
}
