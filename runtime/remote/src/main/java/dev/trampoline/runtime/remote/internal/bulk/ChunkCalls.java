package dev.trampoline.runtime.remote.internal.bulk;

import org.osgi.util.promise.Promise;

import dev.trampoline.runtime.remote.internal.wire.Chunk;
import dev.trampoline.runtime.remote.internal.wire.Payload;

/** How a bulk call's chunks become calls: the executor's side (selector, pool, spread over children). */
public interface ChunkCalls {

    /** The serialized call of {@code chunk}; what cannot be serialized fails here. */
    Payload request(Chunk chunk);

    /** Sends a chunk's call; the promise resolves with the encoded results, or fails as any call. */
    Promise<Object> send(Payload request);

    /** Cancels a chunk's call not answered yet. */
    void cancel(Promise<?> chunk);
}
