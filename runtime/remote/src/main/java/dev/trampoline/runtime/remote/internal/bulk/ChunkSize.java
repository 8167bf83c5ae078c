package dev.trampoline.runtime.remote.internal.bulk;

import java.util.Collection;

import dev.trampoline.runtime.remote.BulkOptions;

/** How many inputs one chunk of a bulk call carries, and how many chunks are in flight at once. */
public final class ChunkSize {

    /**
     * Chunks in flight per child: enough that a child always has one to compute while answers travel and the
     * parent reads them and sends the next (with two, children waited for the parent's threads to wake up).
     */
    static final int CHUNKS_IN_FLIGHT_PER_CHILD = 4;

    /**
     * The largest chunk chosen by default. Children keep a small heap (see {@code ChildJvmOptions}): a chunk's
     * frames, and the values boxed while it runs, must be collected young, and a chunk of a hundred thousand
     * small values was not (its arrays were promoted, then collected by a full collection every chunk or two,
     * which cost more than the chunk's work).
     */
    public static final int LARGEST_DEFAULT = 20_000;

    private ChunkSize() {
    }

    /**
     * {@code requested} if positive; else for a collection of n inputs {@code ceil(n / (4 × parallelism))} (at
     * least 1), as Python's {@code Pool.map} chooses: about four chunks per worker, few enough that the frames cost
     * little, enough that a slow chunk does not leave the other children idle at the end; at most
     * {@link #LARGEST_DEFAULT}; else {@link BulkOptions#UNSIZED_CHUNK}.
     */
    public static int of(int requested, Iterable<?> inputs, int parallelism) {
        if (requested > 0) {
            return requested;
        }
        if (inputs instanceof Collection<?> c) {
            long perChunk = 4L * Math.max(1, parallelism);
            return (int) Math.max(1, Math.min(LARGEST_DEFAULT, (c.size() + perChunk - 1) / perChunk));
        }
        return BulkOptions.UNSIZED_CHUNK;
    }

    /** Chunks sent ahead of their answers for {@code parallelism} children. */
    static int window(int parallelism) {
        return CHUNKS_IN_FLIGHT_PER_CHILD * Math.max(1, parallelism);
    }
}
