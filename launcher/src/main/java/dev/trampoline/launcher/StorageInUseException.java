package dev.trampoline.launcher;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Thrown by {@link Trampoline#start()} when another live runtime (another process, or another runtime in this
 * JVM) uses the storage folder. Nothing in the folder has been touched.
 */
public final class StorageInUseException extends IOException {

    private static final long serialVersionUID = 1L;

    private final Path storage;
    private final long holderPid;

    /** {@code holderPid} is -1 when the other runtime has not written it yet. */
    public StorageInUseException(Path storage, long holderPid) {
        super("storage folder " + storage + " is in use by another Trampoline runtime ("
                + (holderPid < 0 ? "pid not known yet" : "pid " + holderPid)
                + "); stop that one, or give this one another storage folder (--storage DIR)");
        this.storage = storage;
        this.holderPid = holderPid;
    }

    /** The storage folder asked for. */
    public Path storage() {
        return storage;
    }

    /** The process id of the runtime that holds the folder, or -1 if it has not written it yet. */
    public long holderPid() {
        return holderPid;
    }
}
