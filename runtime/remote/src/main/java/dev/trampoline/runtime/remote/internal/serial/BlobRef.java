package dev.trampoline.runtime.remote.internal.serial;

import java.io.Serializable;

import dev.trampoline.runtime.remote.internal.wire.Payload;

/**
 * Stands in the object stream for a large byte array that travels beside it as a blob of the payload (see
 * {@code wire.Payload}). A plain class, not a record: reading records costs method handles in every child.
 */
final class BlobRef implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Byte arrays at least this long travel as blobs (see {@link Payload#MIN_BLOB_LENGTH}). */
    static final int MIN_LENGTH = Payload.MIN_BLOB_LENGTH;

    final int index;

    BlobRef(int index) {
        this.index = index;
    }
}
