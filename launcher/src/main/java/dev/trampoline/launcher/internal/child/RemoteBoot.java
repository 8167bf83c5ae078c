package dev.trampoline.launcher.internal.child;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import dev.trampoline.launcher.internal.Storage;
import dev.trampoline.runtime.contract.internal.ChannelBoot;
import dev.trampoline.runtime.contract.internal.ChildArguments;
import dev.trampoline.runtime.contract.internal.SnapshotFile;
import dev.trampoline.runtime.contract.internal.StoreLayout;

/**
 * The start of a child on another host, which shares no file with its parent: it takes its snapshot and
 * configurations from the channel, fetches the bundle contents its host's store lacks (see {@link ChannelBoot}),
 * and writes them where a local child would find them on its parent's disk. The child then boots as any child.
 * <p>
 * Its host's work folder holds {@value #STORE} (the host's content store and prepared caches, shared by the
 * children of every parent that uses this folder) and {@value #CHILDREN} (one private folder per child, with the
 * child's pid in {@value #PID_FILE}).
 */
final class RemoteBoot {

    static final String STORE = "store";
    static final String CHILDREN = "children";
    /** The file in a child's folder that holds its pid (the parent's first contact with the host reads it). */
    static final String PID_FILE = "pid";

    private RemoteBoot() {
    }

    /** Receives what the child needs, and returns the arguments it then boots with as a local child would. */
    static ChildArguments receive(ChildArguments.Remote remote, InputStream channelIn, OutputStream channelOut)
            throws IOException {
        Path work = remote.work().toAbsolutePath();
        Path store = work.resolve(STORE);
        Files.createDirectories(store);
        // Private to this child (createTempDirectory makes it 0700): its configurations may hold secrets.
        Path storage = Files.createTempDirectory(Files.createDirectories(work.resolve(CHILDREN)), "child");
        try {
            // For the next parent to contact this host: a folder whose pid names no live process is a leftover.
            Files.writeString(storage.resolve(PID_FILE), Long.toString(ProcessHandle.current().pid()));
            ChannelBoot.Description description = ChannelBoot.readDescription(channelIn);
            Properties p = new Properties();
            p.load(new ByteArrayInputStream(description.snapshot()));
            SnapshotFile sent = SnapshotFile.of(p);
            SnapshotFile here = new SnapshotFile(sent.hash(), store, sent.frameworkProperties(), sent.bundles());
            ChannelBoot.fetchMissing(here, store, channelIn, channelOut);
            Path snapshotFile = StoreLayout.snapshotFile(store, here.hash());
            here.write(snapshotFile);
            if (description.configurations().length > 0) {
                Files.write(StoreLayout.childConfigurations(storage), description.configurations());
            }
            return new ChildArguments(snapshotFile, storage, null, false);
        } catch (IOException | RuntimeException e) {
            Storage.deleteTree(storage);
            throw e;
        }
    }
}
