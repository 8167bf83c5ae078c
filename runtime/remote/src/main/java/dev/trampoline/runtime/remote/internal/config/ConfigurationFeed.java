package dev.trampoline.runtime.remote.internal.config;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

import dev.trampoline.runtime.contract.internal.StoreLayout;

/**
 * Keeps children's configurations in step with this runtime's. A new child finds them in its private folder
 * when it starts (its plugins start after they are applied); a running one gets every change over its channel.
 * Configuration values may be secrets: they travel only those two ways, never in a command line or a file
 * others can read.
 * <p>
 * Each set sent is numbered by the changes seen when it was read ({@link #tagged}); a child applies a set only
 * if it is newer than the last it applied. So sets are written to children outside any lock (a child whose
 * channel is full holds up no one but the writer) and may arrive in either order, the newest still wins.
 */
public final class ConfigurationFeed {

    /** Where the configurations come from: this runtime's Configuration Admin ({@link ConfigurationSource}). */
    @FunctionalInterface
    public interface Source {
        /** The configurations now, encoded for a child (see {@link ConfigurationCodec}). */
        byte[] encoded() throws IOException;
    }

    private final Source source;
    /** Changes seen so far: the number a set read now carries. */
    private long changes;

    public ConfigurationFeed(Source source) {
        this.source = source;
    }

    /**
     * Writes the configurations into a new child's private folder, readable by this user only; none if there
     * are none (the child then starts its plugins without waiting for them). Returns the number of changes seen
     * so far: if it differs once the child is among those {@link #changed} reaches, send it the configurations
     * ({@link #sendIfChangedSince}).
     */
    public long writeInto(Path folder) throws IOException {
        long seen;
        byte[] encoded;
        synchronized (this) {
            seen = changes;
            encoded = source.encoded();
        }
        Path file = StoreLayout.childConfigurations(folder);
        Files.deleteIfExists(file);
        if (ConfigurationCodec.isEmpty(encoded)) {
            return seen;
        }
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            out.write(tagged(seen, encoded));
        }
        return seen;
    }

    /** Sends the configurations to a child that joined after {@link #writeInto} if they changed meanwhile. */
    public void sendIfChangedSince(long seen, Consumer<byte[]> child) throws IOException {
        byte[] set;
        synchronized (this) {
            if (changes == seen) {
                return;
            }
            set = tagged(changes, source.encoded());
        }
        child.accept(set);
    }

    /**
     * A configuration changed: sends the configurations as they are now to {@code children} (asked for here, so
     * that a child added a moment ago is either among them or sees the change in {@link #sendIfChangedSince}).
     */
    public void changed(Supplier<? extends Iterable<? extends Consumer<byte[]>>> children) throws IOException {
        List<Consumer<byte[]>> targets = new ArrayList<>();
        byte[] set;
        synchronized (this) {
            changes++;
            children.get().forEach(targets::add);
            if (targets.isEmpty()) {
                return; // none read: a runtime without children pays nothing
            }
            set = tagged(changes, source.encoded());
        }
        for (Consumer<byte[]> child : targets) {
            child.accept(set);
        }
    }

    /** A set as a child receives it: its number, then the configurations (see {@link ConfigurationCodec}). */
    static byte[] tagged(long number, byte[] encoded) {
        return ByteBuffer.allocate(Long.BYTES + encoded.length).putLong(number).put(encoded).array();
    }
}
