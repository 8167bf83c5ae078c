package dev.trampoline.runtime.internal.deploy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.Dictionary;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.felix.cm.file.ConfigurationHandler;

/**
 * Writes a change made to a configuration back to the deploy-folder file it came from (the file its
 * {@value ConfigFiles#FILENAME_PROPERTY} names), so that the change survives a restart and the deployer, when it
 * reads the file again, finds what Configuration Admin already has and does nothing. A {@code .cfg} file is
 * edited line by line ({@link CfgFileEdit}); a {@code .config} file is rewritten in the typed Felix format, each
 * value keeping its type. The new content goes to a hidden file beside it (the deployer ignores hidden files)
 * and replaces the file in one atomic rename, after Configuration Admin has the new properties: when the
 * deployer notices the new file, its re-read is a no-op.
 *
 * <p>It touches only the file: the deployer's own state stays with the deployer's thread.
 */
public final class ConfigFileWriteBack {

    /** The property naming a configuration's file; set by the deployer, not by hand. */
    public static final String FILENAME_PROPERTY = ConfigFiles.FILENAME_PROPERTY;

    private final String uri;
    private final Path file;

    private ConfigFileWriteBack(String uri, Path file) {
        this.uri = uri;
        this.file = file;
    }

    /** The write-back to the file {@code properties} came from, if they name one that still exists. */
    public static Optional<ConfigFileWriteBack> of(Dictionary<String, ?> properties) {
        Object uri = properties == null ? null : properties.get(FILENAME_PROPERTY);
        Path file = uri == null ? null : DeployRegistry.fileOf(uri.toString());
        if (file == null || !Files.isRegularFile(file)) {
            return Optional.empty();
        }
        return Optional.of(new ConfigFileWriteBack(uri.toString(), file));
    }

    /** The file the configuration named, whether or not it still exists (null if it names none). */
    public static Path namedFile(Dictionary<String, ?> properties) {
        Object uri = properties == null ? null : properties.get(FILENAME_PROPERTY);
        return uri == null ? null : DeployRegistry.fileOf(uri.toString());
    }

    public Path file() {
        return file;
    }

    /**
     * Prepares setting {@code key} to {@code text} in the file (in a {@code .config} file, as a value of the type
     * the key has there): the new content is written to a hidden file beside it, which the deployer ignores.
     * Give Configuration Admin {@link Change#properties()}, then {@link Change#commit()} the file: the deployer
     * then finds what Configuration Admin has already and does nothing.
     */
    public Change set(String key, String text) throws IOException {
        if (isTyped()) {
            Dictionary<String, Object> typed = readFile(file);
            typed.put(key, TypedValues.parse(key, text, typed.get(key)));
            return prepare(typedBytes(typed));
        }
        return prepare(CfgFileEdit.edit(readText(), Map.of(key, text), Set.of()).getBytes(StandardCharsets.UTF_8));
    }

    /** Prepares removing {@code key} from the file, as {@link #set} does. */
    public Change unset(String key) throws IOException {
        if (isTyped()) {
            Dictionary<String, Object> typed = readFile(file);
            typed.remove(key);
            return prepare(typedBytes(typed));
        }
        return prepare(CfgFileEdit.edit(readText(), Map.of(), Set.of(key)).getBytes(StandardCharsets.UTF_8));
    }

    /** A new content for the file, written beside it and not yet in place; closing it uncommitted drops it. */
    public final class Change implements AutoCloseable {

        private final Path tmp;
        private final Dictionary<String, Object> properties;
        private boolean committed;

        private Change(Path tmp, Dictionary<String, Object> properties) {
            this.tmp = tmp;
            this.properties = properties;
        }

        /** The properties the deployer will read from the file, its name included. */
        public Dictionary<String, Object> properties() {
            return properties;
        }

        /**
         * Replaces the file in one step: a reader (the deployer) sees the old or the new content, never a mix.
         * The new file's modification time is later than the old one's, so the deployer's stamp (size and
         * time) sees the change even when the size is the same and the clock has not moved.
         */
        public void commit() throws IOException {
            try {
                long previous = Files.getLastModifiedTime(file).toMillis();
                Files.setLastModifiedTime(tmp, FileTime.fromMillis(Math.max(System.currentTimeMillis(),
                        previous + 1)));
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
                committed = true;
            } catch (AccessDeniedException e) {
                throw notWritable(e);
            }
        }

        @Override
        public void close() throws IOException {
            if (!committed) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** Fails, naming the folder, unless the file can be deleted (its folder is writable). */
    public void checkDeletable() throws IOException {
        if (!Files.isWritable(file.getParent())) {
            throw new IOException("cannot delete " + file + ": its folder is read-only; make it writable to delete"
                    + " this configuration; nothing was changed");
        }
    }

    /** Deletes the file, so that nothing re-creates the configuration (at once, or at the next start). */
    public void delete() throws IOException {
        try {
            Files.deleteIfExists(file);
        } catch (AccessDeniedException e) {
            throw new IOException("cannot delete " + file + ": permission denied", e);
        }
    }

    private boolean isTyped() {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".config");
    }

    private Dictionary<String, Object> readFile(Path source) throws IOException {
        try {
            return ConfigFiles.read(source);
        } catch (NoSuchFileException e) {
            throw new IOException(file + " was deleted meanwhile; nothing was changed", e);
        } catch (IOException e) {
            throw new IOException("cannot read " + file + " (" + e.getMessage() + "); fix the file, then try"
                    + " again; nothing was changed", e);
        }
    }

    private String readText() throws IOException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new IOException(file + " is not UTF-8 text; save it as UTF-8, then try again; nothing was"
                    + " changed", e);
        } catch (NoSuchFileException e) {
            throw new IOException(file + " was deleted meanwhile; nothing was changed", e);
        }
    }

    private static byte[] typedBytes(Dictionary<String, Object> typed) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConfigurationHandler.write(bytes, typed);
        return bytes.toByteArray();
    }

    /**
     * Writes {@code content} to a hidden file beside the file, with the same extension (so that it reads the
     * same way), and reads it back as the deployer will read the file.
     */
    private Change prepare(byte[] content) throws IOException {
        if (!Files.isWritable(file)) {
            throw new IOException("cannot write " + file + ": the file is read-only; make it writable to change"
                    + " this configuration; nothing was changed");
        }
        Path tmp = file.resolveSibling("." + file.getFileName());
        boolean prepared = false;
        try {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);
            }
            keepPermissions(tmp);
            Dictionary<String, Object> props = readFile(tmp);
            props.put(FILENAME_PROPERTY, uri);
            prepared = true;
            return new Change(tmp, props);
        } catch (AccessDeniedException e) {
            throw notWritable(e);
        } finally {
            if (!prepared) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    private void keepPermissions(Path tmp) {
        PosixFileAttributeView from = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        PosixFileAttributeView to = Files.getFileAttributeView(tmp, PosixFileAttributeView.class);
        if (from == null || to == null) {
            return;
        }
        try {
            to.setPermissions(from.readAttributes().permissions());
        } catch (IOException | UnsupportedOperationException e) {
            // the default permissions, then: the content is what matters
        }
    }

    /** Permission denied on the file, or in its folder (where the hidden file is made, and the rename). */
    private IOException notWritable(AccessDeniedException e) {
        Path denied = e.getFile() == null ? file : Path.of(e.getFile());
        String where = denied.equals(file) ? "permission denied on the file"
                : "permission denied in its folder " + file.getParent();
        return new IOException("cannot write " + file + ": " + where + "; give the runtime's user write access to"
                + " the file and its folder; nothing was changed", e);
    }
}
