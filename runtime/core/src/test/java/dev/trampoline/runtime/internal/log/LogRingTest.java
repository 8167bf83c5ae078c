package dev.trampoline.runtime.internal.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

class LogRingTest {

    @Test
    void keepsTheNewestWithinEntriesAndCharacters() {
        LogRing ring = new LogRing(3, 1000);
        for (int i = 1; i <= 5; i++) {
            ring.add("e" + i + "\n");
        }
        assertEquals(List.of("e3\n", "e4\n", "e5\n"), ring.last(50));
        assertEquals(List.of("e5\n"), ring.last(1));

        LogRing small = new LogRing(100, 10);
        small.add("aaaa");
        small.add("bbbb");
        small.add("cccc");
        assertEquals(List.of("bbbb", "cccc"), small.last(10), "at most 10 characters");
    }

    @Test
    void aFollowerGetsWhatComesAfterItsPositionAndWaitsForIt() throws Exception {
        LogRing ring = new LogRing(3, 1000);
        ring.add("old\n");
        long from = ring.position();
        CompletableFuture<LogRing.Batch> next = CompletableFuture.supplyAsync(() -> {
            try {
                return ring.after(from);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        ring.add("new\n");
        LogRing.Batch batch = next.get();
        assertEquals(List.of("new\n"), batch.entries());
        assertEquals(ring.position(), batch.position());

        for (int i = 0; i < 5; i++) {
            ring.add("x" + i);
        }
        assertEquals(List.of("x2", "x3", "x4"), ring.after(batch.position()).entries(), "a slow follower misses the oldest");
    }

    @Test
    void aTailThenWhatFollowsHasEveryEntryOnceInOrderWhileEntriesKeepComing() throws Exception {
        LogRing ring = new LogRing(1000, 1_000_000);
        for (int i = 0; i < 20; i++) {
            ring.add(Integer.toString(i));
        }
        Thread writer = new Thread(() -> {
            for (int i = 20; i < 600; i++) {
                ring.add(Integer.toString(i));
            }
        });
        writer.start();
        LogRing.Batch batch = ring.tail(10); // the history and the position after it, taken together
        List<String> seen = new java.util.ArrayList<>(batch.entries());
        while (!seen.get(seen.size() - 1).equals("599")) {
            batch = ring.after(batch.position());
            seen.addAll(batch.entries());
        }
        writer.join();
        int first = Integer.parseInt(seen.get(0));
        for (int i = 0; i < seen.size(); i++) {
            assertEquals(Integer.toString(first + i), seen.get(i), "none lost, none twice, in order: " + seen);
        }
    }

    @Test
    void closingEndsAFollowersWait() throws Exception {
        LogRing ring = new LogRing(3, 1000);
        CompletableFuture<LogRing.Batch> next = CompletableFuture.supplyAsync(() -> {
            try {
                return ring.after(ring.position());
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        ring.close();
        assertEquals(null, next.get());
    }
}
