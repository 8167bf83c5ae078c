package dev.trampoline.runtime.remote.internal.bulk;

import java.util.AbstractList;
import java.util.RandomAccess;

import dev.trampoline.runtime.remote.Outcome;
import dev.trampoline.runtime.remote.internal.serial.ValueBatch;

/**
 * The outcomes of an ordered bulk call, kept as the chunks brought them: each chunk's answer as it came (its
 * plain values read as they are asked for, see {@link ValueBatch#index}), and an array of failures for a chunk
 * that has any; an {@link Outcome} is made as it is read. Why: a million outcomes (or values) made as the answers
 * come are a million more objects alive until the call ends, which the parent's collector copies again at every
 * young collection meanwhile (it dominated a bulk call of a trivial function).
 */
final class OutcomeList<R> extends AbstractList<Outcome<R>> implements RandomAccess {

    private final ValueBatch.Indexed[] values;
    private final Throwable[][] failures;
    /** Inputs per chunk: every chunk but the last has exactly this many. */
    private final int chunkSize;
    private final int size;

    OutcomeList(ValueBatch.Indexed[] values, Throwable[][] failures, int chunkSize, int size) {
        this.values = values;
        this.failures = failures;
        this.chunkSize = chunkSize;
        this.size = size;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Outcome<R> get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("outcome " + index + " of " + size);
        }
        int chunk = index / chunkSize;
        int at = index % chunkSize;
        Throwable[] failed = failures[chunk];
        if (failed != null && failed[at] != null) {
            return Outcome.failure(index, failed[at]);
        }
        return Outcome.success(index, (R) values[chunk].get(at));
    }

    @Override
    public int size() {
        return size;
    }
}
