package dev.trampoline.runtime.remote.internal.bulk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.trampoline.runtime.remote.BulkOptions;

class ChunkSizeTest {

    private static List<Integer> inputs(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    @Test
    void theDefaultIsPythonsAboutFourChunksPerChild() {
        assertEquals(12_500, ChunkSize.of(0, inputs(100_000), 2), "ceil(100,000 / 8)");
        assertEquals(ChunkSize.LARGEST_DEFAULT, ChunkSize.of(0, inputs(1_000_000), 2), "not 125,000: capped");
        assertEquals(3, ChunkSize.of(0, inputs(9), 1), "ceil(9 / 4)");
        assertEquals(1, ChunkSize.of(0, inputs(3), 8), "never 0");
        assertEquals(1, ChunkSize.of(0, Collections.emptyList(), 2));
    }

    @Test
    void aRequestedSizeWinsAndAnIterableOfUnknownSizeGetsTheFixedOne() {
        assertEquals(7, ChunkSize.of(7, inputs(1_000), 2));
        Iterable<Integer> unsized = () -> inputs(10).iterator();
        assertEquals(BulkOptions.UNSIZED_CHUNK, ChunkSize.of(0, unsized, 2));
    }

    @Test
    void eachChildHasFourChunksInFlight() {
        assertEquals(4, ChunkSize.window(1));
        assertEquals(32, ChunkSize.window(8));
    }
}
