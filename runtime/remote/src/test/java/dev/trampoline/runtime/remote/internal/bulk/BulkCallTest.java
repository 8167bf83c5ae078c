package dev.trampoline.runtime.remote.internal.bulk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.util.promise.Deferred;
import org.osgi.util.promise.Promise;

import dev.trampoline.runtime.remote.ChildFailedException;
import dev.trampoline.runtime.remote.Outcome;
import dev.trampoline.runtime.remote.RemoteMapper;
import dev.trampoline.runtime.remote.internal.agent.ChunkRunner;
import dev.trampoline.runtime.remote.internal.call.Answers;
import dev.trampoline.runtime.remote.internal.call.CallSite;
import dev.trampoline.runtime.remote.internal.serial.Serialization;
import dev.trampoline.runtime.remote.internal.serial.ValueBatch;
import dev.trampoline.runtime.remote.internal.serial.WireFramework;
import dev.trampoline.runtime.remote.internal.wire.Chunk;
import dev.trampoline.runtime.remote.internal.wire.Payload;

/**
 * Chunking, order, per-input failures and cancellation of a bulk call, its chunks answered by the child's own
 * {@link ChunkRunner} when and in the order the test says (the pool and child JVMs: BulkCallTest in the itests).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BulkCallTest {

    private WireFramework framework;
    private Serialization serialization;

    @BeforeAll
    void start(@TempDir Path cache) throws Exception {
        framework = new WireFramework(cache);
        serialization = framework.serialization();
    }

    @AfterAll
    void stop() throws Exception {
        framework.close();
    }

    /** Chunks as the executor would send them, kept here until the test answers them. */
    private final class HeldChunks implements ChunkCalls {
        final List<Chunk> chunks = new CopyOnWriteArrayList<>();
        final List<Deferred<Object>> answers = new CopyOnWriteArrayList<>();
        final List<Promise<?>> cancelled = new CopyOnWriteArrayList<>();
        private final Map<Integer, Chunk> requests = new ConcurrentHashMap<>();

        @Override
        public Payload request(Chunk chunk) {
            int id = requests.size();
            requests.put(id, chunk);
            return Payload.of(new byte[] {(byte) id});
        }

        @Override
        public Promise<Object> send(Payload request) {
            Deferred<Object> answer = new Deferred<>();
            chunks.add(requests.get(request.firstByte()));
            answers.add(answer);
            return answer.getPromise();
        }

        @Override
        public void cancel(Promise<?> chunk) {
            cancelled.add(chunk);
        }

        /** Chunk {@code n} runs as a child runs it, on a service that is the string "svc". */
        void answer(int n) throws Exception {
            answers.get(n).resolve(ChunkRunner.run("svc", chunks.get(n), serialization));
        }

        List<Integer> inputsOf(int n) throws Exception {
            List<Integer> in = new ArrayList<>();
            byte[] inputs = chunks.get(n).inputs();
            ValueBatch.Indexed indexed = ValueBatch.index(serialization, inputs, java.nio.ByteBuffer.wrap(inputs)
                    .getInt(), (p, why) -> null);
            for (int i = 0; i < indexed.size(); i++) {
                in.add((Integer) indexed.get(i));
            }
            return in;
        }
    }

    private static final RemoteMapper<String, Integer, Integer> TIMES_TEN = (service, x) -> {
        if (x == 5) {
            throw new IllegalArgumentException("five is refused");
        }
        return x * 10;
    };

    private BulkCall.Context context(HeldChunks held) {
        return new BulkCall.Context(held, serialization, new Answers(serialization), new CallSite(), new Deferred<>());
    }

    private static List<Integer> upTo(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    private static void until(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never happened: " + what);
            }
            Thread.sleep(1);
        }
    }

    @Test
    void outcomesComeInInputOrderWhateverOrderTheChunksAnswerIn() throws Exception {
        HeldChunks held = new HeldChunks();
        BulkCall<Integer> bulk = BulkCall.ordered(upTo(10), TIMES_TEN, 3, 2, context(held));
        bulk.start();

        assertEquals(4, held.chunks.size(), "three inputs a chunk; the window (four a child) holds all four");
        assertEquals(List.of(0, 1, 2), held.inputsOf(0));
        assertEquals(List.of(9), held.inputsOf(3));
        for (int n = 3; n >= 0; n--) {
            held.answer(n);
        }
        @SuppressWarnings("unchecked")
        List<Outcome<Integer>> outcomes = (List<Outcome<Integer>>) bulk.promise().getValue();

        assertEquals(10, outcomes.size());
        for (int i = 0; i < 10; i++) {
            assertEquals(i, outcomes.get(i).index());
            if (i != 5) {
                assertEquals(i * 10, outcomes.get(i).value());
            }
        }
        Outcome<Integer> five = outcomes.get(5);
        assertEquals(false, five.succeeded());
        assertEquals("five is refused", assertInstanceOf(IllegalArgumentException.class, five.failure()).getMessage());
        assertTrue(List.of(five.failure().getSuppressed()).stream().anyMatch(CallSite.class::isInstance),
                "the bulk call's call site is attached");
    }

    @Test
    void aChunkWithoutAnAnswerFailsEachOfItsInputsAndTheOthersStillCome() throws Exception {
        HeldChunks held = new HeldChunks();
        BulkCall<Integer> bulk = BulkCall.ordered(upTo(6), TIMES_TEN, 2, 2, context(held));
        bulk.start();
        ChildFailedException died = new ChildFailedException("child 42 died", 42, 137);
        held.answer(0);
        held.answers.get(1).fail(died);
        held.answer(2);
        @SuppressWarnings("unchecked")
        List<Outcome<Integer>> outcomes = (List<Outcome<Integer>>) bulk.promise().getValue();

        assertEquals(List.of(0, 10), List.of(outcomes.get(0).value(), outcomes.get(1).value()));
        assertSame(died, outcomes.get(2).failure());
        assertSame(died, outcomes.get(3).failure());
        assertEquals(40, outcomes.get(4).value());
    }

    @Test
    void inputsAreTakenAsAnswersComeNeverMoreThanTheWindowAhead() throws Exception {
        HeldChunks held = new HeldChunks();
        List<Outcome<Integer>> seen = new CopyOnWriteArrayList<>();
        BulkCall<Integer> bulk = BulkCall.unordered(upTo(20), TIMES_TEN, 2, 1, context(held), seen::add);
        bulk.start();

        assertEquals(4, held.chunks.size(), "one child: four chunks in flight");
        for (int n = 0; n < 10; n++) {
            int next = n;
            until("chunk " + n + " is sent", () -> held.chunks.size() > next);
            assertTrue(held.chunks.size() <= n + 4, "at most four chunks ahead of the answers");
            held.answer(n);
        }

        assertEquals(20L, bulk.promise().getValue());
        assertEquals(upTo(20), seen.stream().map(o -> (int) o.index()).sorted().toList(), "each input once");
    }

    @Test
    void unorderedOutcomesComeAsTheirChunkIsAnswered() throws Exception {
        HeldChunks held = new HeldChunks();
        List<Long> seen = new CopyOnWriteArrayList<>();
        BulkCall<Integer> bulk = BulkCall.unordered(upTo(6), TIMES_TEN, 2, 2, context(held), o -> seen.add(o.index()));
        bulk.start();

        held.answer(2);
        until("the last chunk's outcomes are handed over", () -> seen.size() == 2);
        assertEquals(List.of(4L, 5L), seen);
        held.answer(0);
        held.answer(1);
        assertEquals(6L, bulk.promise().getValue());
        assertEquals(List.of(0L, 1L, 2L, 3L), seen.subList(2, 6).stream().sorted().toList());
    }

    @Test
    void cancellingCancelsTheChunksInFlightAndHandsOverNothingAfter() throws Exception {
        HeldChunks held = new HeldChunks();
        List<Long> seen = new CopyOnWriteArrayList<>();
        BulkCall<Integer> bulk = BulkCall.unordered(upTo(100), TIMES_TEN, 10, 1, context(held),
                o -> seen.add(o.index()));
        bulk.start();
        held.answer(0);
        until("chunk 4 is sent after chunk 0's answer", () -> held.chunks.size() == 5);
        until("chunk 0's outcomes are handed over", () -> seen.size() == 10);

        assertTrue(bulk.cancel());
        assertInstanceOf(CancellationException.class, bulk.promise().getFailure());
        assertEquals(4, held.cancelled.size(), "chunks 1 to 4 were in flight");
        held.answer(1);
        assertEquals(5, held.chunks.size(), "no chunk is sent after the cancel");
        assertEquals(10, seen.size(), "and no outcome handed over");
        assertEquals(false, bulk.cancel(), "once only");
    }

    /**
     * A consumer that waits for the thread that drains it (a full bounded queue, say) while that thread cancels:
     * the cancel returns, and the consumer is called no more once it is let go.
     */
    @Test
    void aCancelFromTheThreadABlockedConsumerWaitsForReturnsAndStopsTheDelivery() throws Exception {
        HeldChunks held = new HeldChunks();
        java.util.concurrent.CountDownLatch inConsumer = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch letGo = new java.util.concurrent.CountDownLatch(1);
        List<Long> seen = new CopyOnWriteArrayList<>();
        BulkCall<Integer> bulk = BulkCall.unordered(upTo(10), TIMES_TEN, 10, 1, context(held), o -> {
            seen.add(o.index());
            inConsumer.countDown();
            try {
                letGo.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        bulk.start();
        Thread answering = new Thread(() -> {
            try {
                held.answer(0);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        answering.start();
        inConsumer.await();

        assertTrue(bulk.cancel(), "returns while the consumer still holds the delivery");
        letGo.countDown();
        answering.join();

        assertInstanceOf(CancellationException.class, bulk.promise().getFailure());
        assertEquals(List.of(0L), seen, "the outcome being handed over was the last");
    }

    @Test
    void aConsumerThatThrowsEndsTheBulkCallWithWhatItThrew() throws Exception {
        HeldChunks held = new HeldChunks();
        IllegalStateException stop = new IllegalStateException("enough");
        BulkCall<Integer> bulk = BulkCall.unordered(upTo(10), TIMES_TEN, 5, 1, context(held), o -> {
            throw stop;
        });
        bulk.start();
        held.answer(0);

        assertSame(stop, bulk.promise().getFailure());
        assertEquals(1, held.cancelled.size(), "the other chunk was cancelled");
    }
}
