package dev.trampoline.runtime.remote.internal.bulk;

import java.io.IOException;
import java.io.Serializable;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;

import org.osgi.util.promise.Deferred;
import org.osgi.util.promise.Promise;

import dev.trampoline.runtime.remote.CallNotSerializableException;
import dev.trampoline.runtime.remote.Outcome;
import dev.trampoline.runtime.remote.internal.call.Answers;
import dev.trampoline.runtime.remote.internal.serial.Serialization;
import dev.trampoline.runtime.remote.internal.serial.ValueBatch;
import dev.trampoline.runtime.remote.internal.wire.Chunk;
import dev.trampoline.runtime.remote.internal.wire.Failure;

/**
 * One bulk call in the parent: takes inputs in chunks, sends each chunk as one call, keeps a window of chunks in
 * flight (a few per child: the inputs are taken as answers come, not all at once), turns each answer into one
 * {@link Outcome} per input and hands them to its {@link Delivery}; resolves once every chunk was delivered.
 * <p>
 * Threads: the caller's sends the first window; after that, the thread that handles a chunk's answer (a
 * worker) sends the next chunk, then reads the answer. Taking inputs and sending chunks happen under this
 * object's lock (the inputs' iterator is not shared), handing over outcomes under the delivery's, so that the
 * next chunk leaves before this one's outcomes are read.
 */
public final class BulkCall<R> {

    /** Stands for an entry of an answer whose stream could not be read: that input's failure. */
    private record Unread(Throwable failure) {
    }

    private final Iterator<?> inputs;
    private final Serializable mapper;
    private final int chunkSize;
    private final int window;
    private final ChunkCalls calls;
    private final Serialization serialization;
    private final Answers answers;
    private final Exception callSite;
    private final Delivery<R> delivery;
    private final Deferred<Object> result;

    /** Chunks sent and not handled yet, by number. Guarded by this. */
    private final Map<Integer, Promise<Object>> inFlight = new HashMap<>();
    /** Chunks sent so far, and the number of inputs taken. Guarded by this. */
    private int sent;
    private long taken;
    /** Chunks whose outcomes were handed over. Guarded by this. */
    private int delivered;
    /** Whether the inputs ran out. Guarded by this. */
    private boolean exhausted;
    /** Resolved, failed or cancelled: nothing is sent or handed over after. */
    private volatile boolean over;

    private BulkCall(Iterable<?> inputs, Serializable mapper, int chunkSize, int parallelism, ChunkCalls calls,
            Serialization serialization, Answers answers, Exception callSite, Delivery<R> delivery,
            Deferred<Object> result) {
        this.inputs = inputs.iterator();
        this.mapper = mapper;
        this.chunkSize = chunkSize;
        this.window = ChunkSize.window(parallelism);
        this.calls = calls;
        this.serialization = serialization;
        this.answers = answers;
        this.callSite = callSite;
        this.delivery = delivery;
        this.result = result;
    }

    /** What a bulk call needs besides its inputs and delivery: how to send, read and settle. */
    public record Context(ChunkCalls calls, Serialization serialization, Answers answers, Exception callSite,
            Deferred<Object> result) {
    }

    /** A bulk call whose promise resolves with every outcome in input order. */
    public static <R> BulkCall<R> ordered(Iterable<?> inputs, Serializable mapper, int chunkSize, int parallelism,
            Context context) {
        return new BulkCall<>(inputs, mapper, chunkSize, parallelism, context.calls, context.serialization,
                context.answers, context.callSite, Delivery.inOrder(chunkSize), context.result);
    }

    /** A bulk call that hands each outcome to {@code each} as its chunk comes, resolving with their number. */
    public static <R> BulkCall<R> unordered(Iterable<?> inputs, Serializable mapper, int chunkSize, int parallelism,
            Context context, Consumer<? super Outcome<R>> each) {
        return new BulkCall<>(inputs, mapper, chunkSize, parallelism, context.calls, context.serialization,
                context.answers, context.callSite, Delivery.asTheyCome(each), context.result);
    }

    /** The promise the caller holds. */
    public Promise<Object> promise() {
        return result.getPromise();
    }

    /**
     * Sends the first chunks, in the caller's thread: a mapper that cannot be serialized throws here, and nothing
     * is left running.
     */
    public void start() {
        try {
            sendWhileRoom();
        } catch (RuntimeException | Error e) {
            cancelChunks();
            over = true;
            throw e;
        }
        finishIfDone();
    }

    /** Cancels the chunks not answered yet and fails the promise; false if it was over already. */
    public boolean cancel() {
        CancellationException e = new CancellationException("The bulk call was cancelled; its chunks not yet"
                + " answered were cancelled");
        return failWhole(e);
    }

    /**
     * Fails the call, unless it is over. Not under the delivery's lock: the caller's consumer may hold it,
     * blocked until the very thread that cancels makes room; a delivery going on stops at its next outcome.
     */
    private boolean failWhole(Throwable e) {
        synchronized (this) {
            if (over) {
                return false;
            }
            over = true;
        }
        cancelChunks();
        e.addSuppressed(callSite);
        result.fail(e);
        return true;
    }

    private void cancelChunks() {
        List<Promise<Object>> running;
        synchronized (this) {
            running = new ArrayList<>(inFlight.values());
            inFlight.clear();
        }
        running.forEach(calls::cancel);
    }

    /**
     * Sends chunks while fewer than the window are sent and not yet handed over, and inputs are left: a consumer
     * slower than the children holds the next chunks back rather than letting answers pile up.
     */
    private synchronized void sendWhileRoom() {
        while (!over && sent - delivered < window && !exhausted) {
            long first = taken;
            ValueBatch.Writer chunk = new ValueBatch.Writer(serialization, chunkSize, (position, why) ->
                    serialization.failureOf(new CallNotSerializableException("Cannot send input " + (first + position)
                            + " to a child: " + why.getMessage(), null)));
            int size = 0;
            for (; size < chunkSize && inputs.hasNext(); size++) {
                chunk.add(inputs.next());
            }
            exhausted = !inputs.hasNext();
            if (size == 0) {
                return;
            }
            taken += size;
            int number = sent++;
            Promise<Object> answer = calls.send(calls.request(new Chunk(mapper, chunk.finish())));
            inFlight.put(number, answer);
            int inputsSent = size;
            answer.onResolve(() -> answered(number, first, inputsSent, answer));
        }
    }

    /** On a worker: chunk {@code number} is answered (or failed): its outcomes are handed over, then more leave. */
    private void answered(int number, long first, int size, Promise<Object> answer) {
        synchronized (this) {
            if (inFlight.remove(number) == null) {
                return; // cancelled
            }
        }
        try {
            Answer outcomes = answerOf(first, size, answer);
            synchronized (delivery) {
                if (over) {
                    return;
                }
                delivery.chunk(number, first, size, outcomes.values(), outcomes.failures(), () -> over);
            }
            synchronized (this) {
                delivered++;
            }
            sendWhileRoom();
            finishIfDone();
        } catch (RuntimeException | Error e) { // the inputs, the consumer or a chunk's serialization threw
            failWhole(e);
        }
    }

    private void finishIfDone() {
        synchronized (this) {
            if (over || !exhausted || delivered < sent) {
                return;
            }
            over = true;
        }
        Object outcomes;
        try {
            synchronized (delivery) {
                outcomes = delivery.result();
            }
        } catch (RuntimeException e) { // too many outcomes for one list
            e.addSuppressed(callSite);
            result.fail(e);
            return;
        }
        result.resolve(outcomes);
    }

    /**
     * A chunk's values and failures, as {@link Delivery#chunk} takes them: values null if the chunk brought no
     * answer (each input failed).
     */
    private record Answer(ValueBatch.Indexed values, Throwable[] failures) {
        static Answer failedWhole(int size, Throwable failure) {
            Throwable[] failures = new Throwable[size];
            java.util.Arrays.fill(failures, failure);
            return new Answer(null, failures);
        }
    }

    private Answer answerOf(long first, int size, Promise<Object> done) {
        Throwable failed = failureOf(done);
        if (failed != null) { // the chunk brought no answer: each of its inputs fails with the reason
            return Answer.failedWhole(size, failed);
        }
        ValueBatch.Indexed entries;
        try {
            entries = ValueBatch.index(serialization, (byte[]) valueOf(done), size, (position, why) -> new Unread(
                    new CallNotSerializableException("The answer to input " + (first + position)
                            + " cannot be read: " + why, null)));
        } catch (IOException | RuntimeException e) {
            CallNotSerializableException corrupt = new CallNotSerializableException("The answer to a chunk of "
                    + size + " inputs cannot be read: " + e, e);
            return Answer.failedWhole(size, withCallSite(corrupt));
        }
        Throwable[] failures = null;
        for (int i = 0; i < size; i++) {
            if (entries.isPlain(i)) {
                continue;
            }
            Object e = entries.get(i);
            Throwable t = e instanceof Failure f ? answers.exceptionOf(f) : e instanceof Unread u ? u.failure() : null;
            if (t != null) {
                if (failures == null) {
                    failures = new Throwable[size];
                }
                failures[i] = withCallSite(t);
            }
        }
        return new Answer(entries, failures);
    }

    private Throwable withCallSite(Throwable t) {
        t.addSuppressed(callSite);
        return t;
    }

    private static Throwable failureOf(Promise<Object> done) {
        try {
            return done.getFailure();
        } catch (InterruptedException e) { // it is resolved: getFailure does not wait
            Thread.currentThread().interrupt();
            return e;
        }
    }

    private static Object valueOf(Promise<Object> done) {
        try {
            return done.getValue();
        } catch (InvocationTargetException | InterruptedException e) {
            throw new IllegalStateException("a resolved chunk has no value", e);
        }
    }
}
