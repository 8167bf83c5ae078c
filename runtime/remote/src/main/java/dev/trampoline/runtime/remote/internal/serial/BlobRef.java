package dev.trampoline.runtime.remote.internal.serial;

import java.io.Serializable;

/**
 * Stands in the object stream for a large byte array (see {@code Payload.MIN_BLOB_LENGTH}) that travels beside
 * it as a blob of the payload. A plain class, not a record: reading records costs method handles in every child.
 */
final class BlobRef implements Serializable {

    private static final long serialVersionUID = 1L;

    final int index;

    BlobRef(int index) {
        this.index = index;
    }
}
