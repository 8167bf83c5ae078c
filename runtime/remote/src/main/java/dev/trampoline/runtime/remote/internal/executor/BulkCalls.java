package dev.trampoline.runtime.remote.internal.executor;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.osgi.util.promise.Promise;
import org.osgi.util.promise.PromiseFactory;

import dev.trampoline.runtime.remote.BulkOptions;
import dev.trampoline.runtime.remote.CallOptions;
import dev.trampoline.runtime.remote.Outcome;
import dev.trampoline.runtime.remote.internal.bulk.BulkCall;
import dev.trampoline.runtime.remote.internal.bulk.ChunkCalls;
import dev.trampoline.runtime.remote.internal.bulk.ChunkSize;
import dev.trampoline.runtime.remote.internal.call.ActiveWait;
import dev.trampoline.runtime.remote.internal.call.Answers;
import dev.trampoline.runtime.remote.internal.call.CallSite;
import dev.trampoline.runtime.remote.internal.call.PendingCall;
import dev.trampoline.runtime.remote.internal.serial.Serialization;
import dev.trampoline.runtime.remote.internal.wire.CallRequest;
import dev.trampoline.runtime.remote.internal.wire.Chunk;
import dev.trampoline.runtime.remote.internal.wire.Payload;
import dev.trampoline.runtime.remote.internal.wire.ServiceSelector;

/**
 * The executor's bulk calls: each one's chunks are calls of the pools it may use, spread over up to its
 * parallelism's children (see {@link BulkCall} and {@link ChunkRoutes}); the calls still running, so that a cancel
 * of a bulk call's promise finds it.
 */
final class BulkCalls {

    private final Serialization serialization;
    private final Answers answers;
    private final PromiseFactory promises;
    private final AtomicLong ids;
    private final ActiveWait activeWait;
    private final Map<Promise<?>, BulkCall<?>> running = new ConcurrentHashMap<>();

    /** Bulk calls whose chunks are serialized by {@code serialization} and numbered from {@code ids}. */
    BulkCalls(Serialization serialization, Answers answers, PromiseFactory promises, AtomicLong ids,
            ActiveWait activeWait) {
        this.serialization = serialization;
        this.answers = answers;
        this.promises = promises;
        this.ids = ids;
        this.activeWait = activeWait;
    }

    /**
     * Starts a bulk call on the pools of {@code to}, each chunk waiting at most {@code serviceWait} ms for the
     * service in its child; {@code each} null: outcomes in order, at the end.
     */
    <R> Promise<Object> start(List<ChunkRoutes.Target> to, ServiceSelector selector, Serializable mapper,
            Iterable<?> inputs, BulkOptions options, long serviceWait, Consumer<? super Outcome<R>> each) {
        CallOptions call = options.call();
        ChunkRoutes routes = ChunkRoutes.over(to, options.parallelism());
        int parallelism = routes.parallelism();
        CallSite site = new CallSite();
        ChunkCalls chunks = new ChunkCalls() {
            @Override
            public Payload request(Chunk chunk) {
                return serialization.write(new CallRequest(selector, chunk, serviceWait));
            }

            @Override
            public Promise<Object> send(Payload request) {
                return routes.send((dispatcher, spread) -> {
                    PendingCall chunkCall = new PendingCall(ids.incrementAndGet(), promises.deferred(), site,
                            activeWait);
                    dispatcher.submit(chunkCall, request, call, pid -> { }, spread);
                    return chunkCall.promise;
                });
            }

            @Override
            public void cancel(Promise<?> chunk) {
                routes.cancel(chunk);
            }
        };
        BulkCall.Context context = new BulkCall.Context(chunks, serialization, answers, site, promises.deferred());
        int chunkSize = ChunkSize.of(options.chunkSize(), inputs, parallelism);
        BulkCall<R> bulk = each == null ? BulkCall.ordered(inputs, mapper, chunkSize, parallelism, context)
                : BulkCall.unordered(inputs, mapper, chunkSize, parallelism, context, each);
        Promise<Object> promise = bulk.promise();
        running.put(promise, bulk);
        promise.onResolve(() -> running.remove(promise));
        try {
            bulk.start();
        } catch (RuntimeException | Error e) {
            running.remove(promise);
            throw e;
        }
        return promise;
    }

    /** Cancels the bulk call of {@code promise}: whether it was still running; null if it is no bulk call's. */
    Boolean cancel(Promise<?> promise) {
        BulkCall<?> bulk = running.get(promise);
        return bulk == null ? null : bulk.cancel();
    }
}
