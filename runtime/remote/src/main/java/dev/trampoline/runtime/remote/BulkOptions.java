package dev.trampoline.runtime.remote;

import java.util.Objects;

/**
 * How a bulk call ({@link RemoteExecutor#map}, {@link RemoteExecutor#mapUnordered}) cuts its inputs and spreads
 * them. Immutable: start from {@link #DEFAULT}; {@code with...} methods return a changed copy.
 *
 * @param chunkSize inputs per chunk: each chunk is one call (one frame each way); 0 chooses
 *        {@code ceil(inputs / (4 × parallelism))} for a {@link java.util.Collection} of inputs (as Python's
 *        {@code Pool.map}) but at most 20,000 (children keep a small heap, where larger chunks of small values
 *        cost full collections), else {@value #UNSIZED_CHUNK}. Choose it yourself for large values (a chunk is
 *        one frame, within {@code trampoline.remote.maxFrameBytes}) or for inputs whose work varies a lot
 * @param parallelism how many children the chunks are spread over, at most at once, fresh children too (each
 *        child may run several chunks at once; a chunk whose children are all busy waits for one of them); 0: the
 *        pool's {@code maxChildren} (a host's {@code slots})
 * @param call how each chunk runs: reusable or fresh child, time limit (per chunk), JVM options, environment,
 *        host
 */
public record BulkOptions(int chunkSize, int parallelism, CallOptions call) {

    /** The chunk size for inputs whose number is not known in advance (an {@link Iterable} that is no collection). */
    public static final int UNSIZED_CHUNK = 1024;

    /** Chosen chunk size and parallelism, {@link CallOptions#DEFAULT}. */
    public static final BulkOptions DEFAULT = new BulkOptions(0, 0, CallOptions.DEFAULT);

    public BulkOptions {
        Objects.requireNonNull(call, "call");
        if (chunkSize < 0 || parallelism < 0) {
            throw new IllegalArgumentException("chunkSize and parallelism must not be negative (0: chosen)");
        }
    }

    public BulkOptions withChunkSize(int chunkSize) {
        return new BulkOptions(chunkSize, parallelism, call);
    }

    public BulkOptions withParallelism(int parallelism) {
        return new BulkOptions(chunkSize, parallelism, call);
    }

    public BulkOptions withCallOptions(CallOptions call) {
        return new BulkOptions(chunkSize, parallelism, call);
    }
}
