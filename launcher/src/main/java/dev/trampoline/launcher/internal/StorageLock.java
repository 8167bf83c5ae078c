package dev.trampoline.launcher.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.trampoline.launcher.StorageInUseException;

/**
 * The exclusive claim of one runtime on a storage folder: an OS lock on the file {@code lock} in it, which the
 * operating system drops when the process dies (so the file a killed runtime leaves behind blocks nobody),
 * with the holder's pid written in the file for the message the next runtime gets.
 */
final class StorageLock implements AutoCloseable {

    static final String FILE_NAME = "lock";

    /*
     * Folders locked by this JVM. An OS file lock belongs to the process, and closing any channel on the file
     * releases it, so a second runtime in the same JVM must be refused before it opens the file at all.
     */
    private static final Set<Path> HELD_BY_THIS_JVM = ConcurrentHashMap.newKeySet();

    private final Path folder;
    private final FileChannel channel;
    private final FileLock lock;

    private StorageLock(Path folder, FileChannel channel, FileLock lock) {
        this.folder = folder;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks {@code folder} (an existing directory) for this process and writes this process's pid in the lock
     * file.
     *
     * @throws StorageInUseException when another live runtime holds it
     * @throws IOException when the lock file cannot be opened or written (a folder that is not writable)
     */
    static StorageLock acquire(Path folder) throws IOException {
        Path key = folder.toRealPath();
        if (!HELD_BY_THIS_JVM.add(key)) {
            throw new StorageInUseException(folder, ProcessHandle.current().pid());
        }
        FileChannel channel = null;
        boolean locked = false;
        try {
            channel = FileChannel.open(folder.resolve(FILE_NAME), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // locked through another channel of this JVM (not a runtime): in use all the same
            }
            if (lock == null) {
                throw new StorageInUseException(folder, readPid(channel));
            }
            writePid(channel);
            locked = true;
            return new StorageLock(key, channel, lock);
        } finally {
            if (!locked) {
                if (channel != null) {
                    closeQuietly(channel);
                }
                HELD_BY_THIS_JVM.remove(key);
            }
        }
    }

    /** The pid the holder wrote, or -1 if it has not written it yet (it locks first, then writes). */
    private static long readPid(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(32);
            channel.read(buffer, 0);
            return Long.parseLong(new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    private static void writePid(FileChannel channel) throws IOException {
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        channel.force(false);
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // closing the channel below releases it too
        }
        closeQuietly(channel);
        HELD_BY_THIS_JVM.remove(folder);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing held any more either way
        }
    }
}
