package dev.trampoline.runtime.remote.internal.bulk;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import dev.trampoline.runtime.remote.Outcome;

/** Where a bulk call's outcomes go, chunk by chunk, and what its promise resolves with at the end. */
interface Delivery<R> {

    /** The outcomes of chunk number {@code chunk}, in input order. Called by one thread at a time. */
    void chunk(int chunk, List<Outcome<R>> outcomes);

    /** What the bulk call's promise resolves with, once every chunk was delivered. */
    Object result();

    /** Every outcome, in input order: kept per chunk, joined at the end. */
    static <R> Delivery<R> inOrder() {
        return new Delivery<>() {
            private final List<List<Outcome<R>>> chunks = new ArrayList<>();
            private long count;

            @Override
            public void chunk(int chunk, List<Outcome<R>> outcomes) {
                while (chunks.size() <= chunk) {
                    chunks.add(null);
                }
                chunks.set(chunk, outcomes);
                count += outcomes.size();
            }

            @Override
            public Object result() {
                List<Outcome<R>> all = new ArrayList<>((int) Math.min(Integer.MAX_VALUE - 8, count));
                chunks.forEach(all::addAll);
                return all;
            }
        };
    }

    /** Each outcome handed to {@code each} as its chunk comes; resolves with how many there were. */
    static <R> Delivery<R> asTheyCome(Consumer<? super Outcome<R>> each) {
        return new Delivery<>() {
            private long count;

            @Override
            public void chunk(int chunk, List<Outcome<R>> outcomes) {
                for (Outcome<R> o : outcomes) {
                    each.accept(o);
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
