package dev.trampoline.runtime.remote.internal.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.osgi.util.promise.Deferred;
import org.osgi.util.promise.Promise;

import dev.trampoline.runtime.remote.internal.pool.Spread;

class ChunkRoutesTest {

    /** The spread each chunk was sent with (one per pool), and the chunk's deferred answer. */
    private final List<Spread> sentWith = new ArrayList<>();
    private final List<Deferred<Object>> answers = new ArrayList<>();

    private Promise<Object> send(ChunkRoutes routes) {
        return routes.send((dispatcher, spread) -> {
            sentWith.add(spread);
            Deferred<Object> answer = new Deferred<>();
            answers.add(answer);
            return answer.getPromise();
        });
    }

    @Test
    void withoutAParallelismABulkCallUsesEveryChildOfItsPools() {
        ChunkRoutes routes = ChunkRoutes.over(List.of(new ChunkRoutes.Target(null, 2),
                new ChunkRoutes.Target(null, 3)), 0);
        assertEquals(5, routes.parallelism());
        assertEquals(2, routes.pools());
    }

    @Test
    void theFirstPoolTakesAsMuchOfTheParallelismAsItMayRunAndTheNextOnesTheRest() {
        List<ChunkRoutes.Target> targets = List.of(new ChunkRoutes.Target(null, 2), new ChunkRoutes.Target(null, 3),
                new ChunkRoutes.Target(null, 4));
        assertEquals(1, ChunkRoutes.over(targets, 2).pools(), "the first pool runs 2: the others get none");
        assertEquals(2, ChunkRoutes.over(targets, 4).pools());
        ChunkRoutes beyond = ChunkRoutes.over(targets.subList(0, 1), 6);
        assertEquals(6, beyond.parallelism(), "asked for more than the pool runs: the pool's own limit holds");
        assertEquals(1, beyond.pools());
    }

    @Test
    void aChunkGoesToThePoolWithTheFewestUnansweredChunksForItsShare() {
        ChunkRoutes routes = ChunkRoutes.over(List.of(new ChunkRoutes.Target(null, 1),
                new ChunkRoutes.Target(null, 2)), 3);
        for (int i = 0; i < 4; i++) {
            send(routes);
        }
        // 0/1 = 0/2: the first; then 0/2 < 1/1; 1/2 < 1/1; 1/1 = 2/2: the first again.
        Spread first = sentWith.get(0);
        Spread second = sentWith.get(1);
        assertNotSame(first, second);
        assertSame(second, sentWith.get(2));
        assertSame(first, sentWith.get(3));

        answers.get(1).resolve("done"); // the second pool answered one: it has room for its share first
        answers.get(2).resolve("done");
        send(routes);
        assertSame(second, sentWith.get(4));
    }
}
