package dev.trampoline.runtime.remote.internal.wire;

import java.io.Serializable;

/**
 * The action of one chunk of a bulk call: a {@code RemoteMapper} and the chunk's inputs, encoded as a
 * {@code ValueBatch} (plain values compact, the rest in one filtered Java stream). The child answers with the
 * results encoded the same way, a failure in place of each input that failed.
 * <p>
 * A plain class rather than a record: the JDK reads records through method handles (see {@link CallRequest}).
 */
public final class Chunk implements Serializable {

    private static final long serialVersionUID = 1L;

    private final Serializable mapper;
    private final byte[] inputs;

    public Chunk(Serializable mapper, byte[] inputs) {
        this.mapper = mapper;
        this.inputs = inputs;
    }

    public Serializable mapper() {
        return mapper;
    }

    /** The encoded inputs (large ones travel beside the object stream, as any large byte array). */
    public byte[] inputs() {
        return inputs;
    }
}
