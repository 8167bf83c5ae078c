package dev.trampoline.runtime.remote.internal.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.trampoline.runtime.contract.internal.ContentHash;

class BundleSnapshotTest {

    @TempDir
    Path dir;

    private static BundleEntry entry(String sha) {
        return new BundleEntry(5, "file:/deploy/a.jar", "a", "1.0.0", sha, 1, true, false, "ACTIVE");
    }

    @Test
    void hashChangesWithAnyRevisionOrPropertyAndOnlyThen() {
        BundleSnapshot one = BundleSnapshot.of(List.of(entry("aa")), Map.of("k", "v"));
        assertEquals(one.hash(), BundleSnapshot.of(List.of(entry("aa")), Map.of("k", "v")).hash());
        assertNotEquals(one.hash(), BundleSnapshot.of(List.of(entry("bb")), Map.of("k", "v")).hash());
        assertNotEquals(one.hash(), BundleSnapshot.of(List.of(entry("aa")), Map.of("k", "w")).hash());
        assertNotEquals(one.hash(), BundleSnapshot.of(List.of(entry("aa"), entry("cc")), Map.of("k", "v")).hash());
    }

    @Test
    void writesWhatTheChildMainReads() throws Exception {
        ContentStore store = new ContentStore(dir.resolve("store"));
        String sha = store.put(new byte[] {1, 2, 3});
        assertEquals(ContentHash.sha256(new byte[] {1, 2, 3}), sha);
        BundleSnapshot s = BundleSnapshot.of(List.of(entry(sha)), Map.of("org.osgi.framework.bootdelegation", "sun.*"));

        Path file = dir.resolve("snap.properties");
        s.writeTo(file, store);

        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        assertEquals(s.hash(), p.getProperty("hash"));
        assertEquals(store.root().toString(), p.getProperty("store"));
        assertEquals("sun.*", p.getProperty("framework.org.osgi.framework.bootdelegation"));
        assertEquals("1", p.getProperty("bundle.count"));
        assertEquals("file:/deploy/a.jar", p.getProperty("bundle.0.location"));
        assertEquals(sha, p.getProperty("bundle.0.sha256"));
        assertEquals("true", p.getProperty("bundle.0.start"));
        assertEquals(true, Files.isRegularFile(store.path(sha)));
    }

    @Test
    void childrenStartByStartLevelThenInTheOrderTheParentStartedThem() {
        // In install order. In the parent the weaver started after the consumer (its level was lowered since), and
        // late after both (its requirement arrived last); never did not start.
        List<BundleEntry> bundles = List.of(started("runtime", 1, 1), started("weaver", 2, 3),
                started("consumer", 3, 2), started("late", 1, 4), started("never", 1, Long.MAX_VALUE));

        int[] place = BundleSnapshot.startOrder(bundles);

        String[] order = new String[bundles.size()];
        for (int i = 0; i < place.length; i++) {
            order[place[i]] = bundles.get(i).symbolicName();
        }
        assertEquals(List.of("runtime", "late", "never", "weaver", "consumer"), List.of(order));
    }

    private static BundleEntry started(String name, int level, long sequence) {
        return new BundleEntry(sequence, "file:/deploy/" + name + ".jar", name, "1.0.0", "aa", level, true, false,
                false, "ACTIVE", "start", sequence);
    }
}
