package dev.trampoline.runtime.remote;

import java.util.Objects;

/**
 * What one input of a bulk call came to: the function's result, or why there is none. The failure is the
 * exception the function threw for that input (its own class where it loads here, else a
 * {@link RemoteServiceException}), or, for every input of a chunk that could not bring an answer, that chunk's
 * {@link CallFailedException}; an input or result that cannot be serialized or read fails that input alone with a
 * {@link CallNotSerializableException}. Every failure carries the bulk call's call site as a suppressed exception.
 *
 * @param <R> the result type
 */
public final class Outcome<R> {

    private final long index;
    private final R value;
    private final Throwable failure;

    private Outcome(long index, R value, Throwable failure) {
        this.index = index;
        this.value = value;
        this.failure = failure;
    }

    /** The result {@code value} of input number {@code index}. */
    public static <R> Outcome<R> success(long index, R value) {
        return new Outcome<>(index, value, null);
    }

    /** The failure of input number {@code index}. */
    public static <R> Outcome<R> failure(long index, Throwable failure) {
        return new Outcome<>(index, null, Objects.requireNonNull(failure, "failure"));
    }

    /** The input's position among the inputs, from 0. */
    public long index() {
        return index;
    }

    /** Whether the function returned a value for this input. */
    public boolean succeeded() {
        return failure == null;
    }

    /** The function's result ({@code null} if it returned null or failed). */
    public R value() {
        return value;
    }

    /** Why the input has no result, or {@code null} if it has one. */
    public Throwable failure() {
        return failure;
    }

    /**
     * The result, or the failure thrown: as itself if unchecked, else wrapped in a
     * {@link java.util.concurrent.CompletionException} that has it as its cause (as {@code CompletableFuture.join}
     * does).
     */
    public R orElseThrow() {
        if (failure == null) {
            return value;
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        throw new java.util.concurrent.CompletionException("input " + index + " failed: " + failure, failure);
    }

    @Override
    public String toString() {
        return "#" + index + (failure == null ? " = " + value : " failed: " + failure);
    }
}
