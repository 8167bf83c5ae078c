package dev.trampoline.runtime.remote.internal.config;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Consumer;

/**
 * Keeps children's configurations in step with this runtime's. A new child finds them in its private folder
 * when it starts (its plugins start after they are applied); a running one gets every change over its channel.
 * Configuration values may be secrets: they travel only those two ways, never in a command line or a file
 * others can read. One lock orders what each child receives, so that the last configurations a child is sent
 * are the newest.
 */
public final class ConfigurationFeed {

    /** The file in a child's private folder (the launcher's child boot reads its name from the same place). */
    public static final String FILE_NAME = "configurations";

    private final ConfigurationSource source;
    private long changes;

    public ConfigurationFeed(ConfigurationSource source) {
        this.source = source;
    }

    /**
     * Writes the configurations into a new child's private folder, readable by this user only; none if there
     * are none (the child then starts its plugins without waiting for them). Returns the number of changes seen
     * so far: if it differs after the child joined the children that receive changes, send it the
     * configurations ({@link #sendIfChangedSince}).
     */
    public synchronized long writeInto(Path folder) throws IOException {
        long seen = changes;
        byte[] encoded = source.encoded();
        Path file = folder.resolve(FILE_NAME);
        Files.deleteIfExists(file);
        if (ConfigurationCodec.isEmpty(encoded)) {
            return seen;
        }
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            out.write(encoded);
        }
        return seen;
    }

    /** Sends the configurations to a child that joined after {@link #writeInto} if they changed meanwhile. */
    public synchronized void sendIfChangedSince(long seen, Consumer<byte[]> child) throws IOException {
        if (changes != seen) {
            child.accept(source.encoded());
        }
    }

    /** A configuration changed: sends them as they are now to {@code children}, in the order of the changes. */
    public synchronized void changed(Iterable<? extends Consumer<byte[]>> children) throws IOException {
        changes++;
        byte[] encoded = null;
        for (Consumer<byte[]> child : children) {
            if (encoded == null) {
                encoded = source.encoded(); // none without children: a child that makes no calls pays nothing
            }
            child.accept(encoded);
        }
    }
}
