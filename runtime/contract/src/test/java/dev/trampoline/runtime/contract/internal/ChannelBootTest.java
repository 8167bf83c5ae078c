package dev.trampoline.runtime.contract.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChannelBootTest {

    @TempDir
    Path dir;

    /** Stores {@code content} in {@code store} under its hash, as the parent's store does; returns the hash. */
    private static String stored(Path store, String content) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        String hash = ContentHash.sha256(bytes);
        Files.createDirectories(store);
        Files.write(StoreLayout.jar(store, hash), bytes);
        return hash;
    }

    private static SnapshotFile.Entry entry(String hash, int i) {
        return new SnapshotFile.Entry("file:/deploy/b" + i + ".jar", "b" + i, "1.0.0", hash, 1, true, false, i,
                null, false, false);
    }

    @Test
    void aChildFetchesOnlyWhatItsHostLacksAndStoresEachUnderItsHash() throws Exception {
        Path parentStore = dir.resolve("parent");
        Path childStore = dir.resolve("child");
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            hashes.add(stored(parentStore, "bundle " + i + " ".repeat(i * 100_000)));
        }
        stored(childStore, "bundle 0"); // the host has it from an earlier child
        List<SnapshotFile.Entry> entries = List.of(entry(hashes.get(0), 0), entry(hashes.get(1), 1),
                entry(hashes.get(2), 2));
        Path snapshotFile = dir.resolve("snapshot.properties");
        new SnapshotFile("s1", parentStore, Map.of("k", "v"), entries).write(snapshotFile);
        Path configurations = Files.writeString(dir.resolve("configurations"), "secret=1");

        PipedOutputStream toChild = new PipedOutputStream();
        PipedInputStream childIn = new PipedInputStream(toChild, 64 * 1024);
        PipedOutputStream toParent = new PipedOutputStream();
        PipedInputStream parentIn = new PipedInputStream(toParent, 64 * 1024);
        CompletableFuture<ChannelBoot.Description> child = CompletableFuture.supplyAsync(() -> {
            try {
                ChannelBoot.Description d = ChannelBoot.readDescription(childIn);
                Properties p = new Properties();
                p.load(new ByteArrayInputStream(d.snapshot()));
                SnapshotFile sent = SnapshotFile.of(p);
                ChannelBoot.fetchMissing(new SnapshotFile(sent.hash(), childStore, sent.frameworkProperties(),
                        sent.bundles()), childStore, childIn, toParent);
                return d;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        ChannelBoot.describe(toChild, snapshotFile, configurations);
        List<String> served = ChannelBoot.serveNeeds(parentIn, toChild, parentStore, Set.copyOf(hashes));

        assertEquals(hashes.subList(1, 3), served, "only what the child's host lacked");
        ChannelBoot.Description description = child.get();
        assertArrayEquals(Files.readAllBytes(snapshotFile), description.snapshot());
        assertEquals("secret=1", new String(description.configurations(), StandardCharsets.UTF_8));
        for (String hash : hashes) {
            assertArrayEquals(Files.readAllBytes(StoreLayout.jar(parentStore, hash)),
                    Files.readAllBytes(StoreLayout.jar(childStore, hash)));
        }
        try (var files = Files.list(childStore)) {
            assertEquals(3, files.count(), "no temporary file is left");
        }
    }

    @Test
    void noConfigurationFileSendsAnEmptyOne() throws Exception {
        Path snapshotFile = dir.resolve("snapshot.properties");
        new SnapshotFile("s1", dir, Map.of(), List.of()).write(snapshotFile);
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        ChannelBoot.describe(sent, snapshotFile, dir.resolve("none"));
        ChannelBoot.Description d = ChannelBoot.readDescription(new ByteArrayInputStream(sent.toByteArray()));
        assertEquals(0, d.configurations().length);
    }

    @Test
    void aChildAskingForContentItsSnapshotDoesNotHoldGetsNothing() throws Exception {
        String hash = stored(dir, "one");
        ByteArrayOutputStream need = new ByteArrayOutputStream();
        message(need, ChannelBoot.NEED, (hash + "\n../../etc/passwd").getBytes(StandardCharsets.US_ASCII));
        ByteArrayOutputStream toChild = new ByteArrayOutputStream();
        IOException e = assertThrows(IOException.class, () -> ChannelBoot.serveNeeds(
                new ByteArrayInputStream(need.toByteArray()), toChild, dir, Set.of(hash)));
        assertTrue(e.getMessage().contains("does not hold: '../../etc/passwd'"), e.getMessage());
        assertEquals(0, toChild.size(), "not even the content it may have");
    }

    @Test
    void contentNamedManyTimesIsSentOnce() throws Exception {
        String hash = stored(dir, "one");
        ByteArrayOutputStream need = new ByteArrayOutputStream();
        message(need, ChannelBoot.NEED, (hash + "\n").repeat(1000).getBytes(StandardCharsets.US_ASCII));
        ByteArrayOutputStream toChild = new ByteArrayOutputStream();
        List<String> served = ChannelBoot.serveNeeds(new ByteArrayInputStream(need.toByteArray()), toChild, dir,
                Set.of(hash));
        assertEquals(List.of(hash), served);
        assertEquals(4 + 1 + 8 + 64 + 3, toChild.size(), "one message, its content once");
    }

    @Test
    void aNeedLargerThanAllowedIsRefusedBeforeItIsRead() {
        ByteArrayOutputStream need = new ByteArrayOutputStream();
        header(need, ChannelBoot.NEED, Long.MAX_VALUE);
        IOException e = assertThrows(IOException.class, () -> ChannelBoot.serveNeeds(
                new ByteArrayInputStream(need.toByteArray()), new ByteArrayOutputStream(), dir, Set.of()));
        assertTrue(e.getMessage().contains("more than the " + ChannelBoot.MAX_NEED), e.getMessage());
    }

    @Test
    void contentThatDoesNotMatchItsHashIsNotStored() throws Exception {
        String hash = ContentHash.sha256("expected".getBytes(StandardCharsets.UTF_8));
        SnapshotFile snapshot = new SnapshotFile("s1", dir, Map.of(), List.of(entry(hash, 0)));
        ByteArrayOutputStream fromParent = new ByteArrayOutputStream();
        byte[] forged = "forged!!".getBytes(StandardCharsets.UTF_8);
        header(fromParent, ChannelBoot.BLOB, 64 + forged.length);
        fromParent.write(hash.getBytes(StandardCharsets.US_ASCII));
        fromParent.write(forged);
        Path store = dir.resolve("store");
        IOException e = assertThrows(IOException.class, () -> ChannelBoot.fetchMissing(snapshot, store,
                new ByteArrayInputStream(fromParent.toByteArray()), new ByteArrayOutputStream()));
        assertTrue(e.getMessage().contains("has hash"), e.getMessage());
        try (var files = Files.list(store)) {
            assertFalse(files.findAny().isPresent(), "neither the content nor a temporary file");
        }
    }

    @Test
    void whatAShellPrintsBeforeTheChildIsNamedAsSuch() {
        byte[] banner = "Welcome to build1!\n".getBytes(StandardCharsets.UTF_8);
        IOException e = assertThrows(IOException.class,
                () -> ChannelBoot.readDescription(new ByteArrayInputStream(banner)));
        assertTrue(e.getMessage().contains("not a boot message") && e.getMessage().contains("profile"),
                e.getMessage());
    }

    private static void message(ByteArrayOutputStream out, byte kind, byte[] payload) {
        header(out, kind, payload.length);
        out.writeBytes(payload);
    }

    private static void header(ByteArrayOutputStream out, byte kind, long length) {
        try {
            DataOutputStream data = new DataOutputStream(out);
            data.writeInt(ChannelBoot.MAGIC);
            data.writeByte(kind);
            data.writeLong(length);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
