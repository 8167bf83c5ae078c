package dev.trampoline.runtime.remote.internal.bulk;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import dev.trampoline.runtime.remote.Outcome;
import dev.trampoline.runtime.remote.internal.serial.ValueBatch;

/** Where a bulk call's outcomes go, chunk by chunk, and what its promise resolves with at the end. */
interface Delivery<R> {

    /**
     * The outcomes of chunk number {@code chunk}, whose first input is number {@code first}: its {@code size}
     * inputs' values (null if the chunk brought none: then every input failed; an entry that failed is read as
     * anything), and their failures (null where an input has a value; the array itself null if none failed). Called by one
     * thread at a time; a delivery that hands outcomes to the caller's code stops once {@code stopped} says so
     * (the call was cancelled or failed meanwhile).
     */
    void chunk(int chunk, long first, int size, ValueBatch.Indexed values, Throwable[] failures,
            BooleanSupplier stopped);

    /** What the bulk call's promise resolves with, once every chunk was delivered. */
    Object result();

    /** Every outcome, in input order, as a list over the chunks' answers ({@link OutcomeList}). */
    static <R> Delivery<R> inOrder(int chunkSize) {
        return new Delivery<>() {
            private final List<ValueBatch.Indexed> values = new ArrayList<>();
            private final List<Throwable[]> failures = new ArrayList<>();
            private long count;

            @Override
            public void chunk(int chunk, long first, int size, ValueBatch.Indexed chunkValues,
                    Throwable[] chunkFailures, BooleanSupplier stopped) {
                while (values.size() <= chunk) {
                    values.add(null);
                    failures.add(null);
                }
                values.set(chunk, chunkValues);
                failures.set(chunk, chunkFailures);
                count += size;
            }

            @Override
            public Object result() {
                if (count > Integer.MAX_VALUE - 8) {
                    throw new IllegalStateException(count + " outcomes are too many for one list: use mapUnordered");
                }
                return new OutcomeList<R>(values.toArray(new ValueBatch.Indexed[0]), failures.toArray(new Throwable[0][]),
                        chunkSize, (int) count);
            }
        };
    }

    /** Each outcome handed to {@code each} as its chunk comes; resolves with how many there were. */
    static <R> Delivery<R> asTheyCome(Consumer<? super Outcome<R>> each) {
        return new Delivery<>() {
            private long count;

            @Override
            @SuppressWarnings("unchecked")
            public void chunk(int chunk, long first, int size, ValueBatch.Indexed values, Throwable[] failures,
                    BooleanSupplier stopped) {
                for (int i = 0; i < size && !stopped.getAsBoolean(); i++) {
                    Throwable failed = failures == null ? null : failures[i];
                    each.accept(failed == null ? Outcome.success(first + i, (R) values.get(i))
                            : Outcome.failure(first + i, failed));
                    count++;
                }
            }

            @Override
            public Object result() {
                return count;
            }
        };
    }
}
