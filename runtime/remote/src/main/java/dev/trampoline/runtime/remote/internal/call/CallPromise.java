package dev.trampoline.runtime.remote.internal.call;

import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.CompletionStage;

import org.osgi.util.function.Consumer;
import org.osgi.util.function.Function;
import org.osgi.util.function.Predicate;
import org.osgi.util.promise.Failure;
import org.osgi.util.promise.Promise;
import org.osgi.util.promise.Success;


/**
 * The promise a remote call returns: the call's own promise, except that a caller who blocks for the outcome
 * ({@link #getValue}, {@link #getFailure}) of a call a child is running waits actively for a moment first
 * (see {@link ActiveWait}). Everything else is the promise's own behaviour; callbacks that are handed a
 * promise are handed this one, the caller's.
 */
public final class CallPromise<T> implements Promise<T> {

    private final Promise<T> promise;
    private final ActiveWait wait;
    /** Until the call is settled: a promise kept long after does not keep the call, its child and its stack. */
    private volatile PendingCall call;

    CallPromise(Promise<T> promise, ActiveWait wait, PendingCall call) {
        this.promise = promise;
        this.wait = wait;
        this.call = call;
    }

    /** The call is settled: its outcome is, or is about to be, in the promise. */
    void release() {
        call = null;
    }

    /** Waits actively only for a call a running child has: a queued call or a starting child takes far longer. */
    private void waitBriefly() {
        PendingCall c = call;
        if (c == null) {
            return;
        }
        if (c.runsInReadyChild()) {
            wait.briefly(promise::isDone);
        }
    }

    @Override
    public T getValue() throws InvocationTargetException, InterruptedException {
        waitBriefly();
        return promise.getValue();
    }

    @Override
    public Throwable getFailure() throws InterruptedException {
        waitBriefly();
        return promise.getFailure();
    }

    @Override
    public boolean isDone() {
        return promise.isDone();
    }

    @Override
    public Promise<T> onResolve(Runnable callback) {
        promise.onResolve(callback);
        return this;
    }

    @Override
    public Promise<T> onSuccess(Consumer<? super T> success) {
        promise.onSuccess(success);
        return this;
    }

    @Override
    public Promise<T> onFailure(Consumer<? super Throwable> failure) {
        promise.onFailure(failure);
        return this;
    }

    @Override
    public <F> Promise<T> onFailure(Consumer<? super F> failure, Class<? extends F> failureType) {
        promise.onFailure(failure, failureType);
        return this;
    }

    @Override
    public <R> Promise<R> then(Success<? super T, ? extends R> success, Failure failure) {
        Success<T, R> onThis = onThis(success);
        return promise.then(onThis, failure == null ? null : resolved -> failure.fail(this));
    }

    @Override
    public <R> Promise<R> then(Success<? super T, ? extends R> success) {
        return promise.then(onThis(success));
    }

    /** {@code success}, handed this promise instead of the one it is called with (the same outcome). */
    @SuppressWarnings("unchecked")
    private <R> Success<T, R> onThis(Success<? super T, ? extends R> success) {
        if (success == null) {
            return null;
        }
        // A Success of a supertype takes this promise's values as the promise package itself does: unchecked.
        Success<T, R> s = (Success<T, R>) success;
        return resolved -> s.call(this);
    }

    @Override
    public Promise<T> thenAccept(Consumer<? super T> consumer) {
        return promise.thenAccept(consumer);
    }

    @Override
    public Promise<T> filter(Predicate<? super T> predicate) {
        return promise.filter(predicate);
    }

    @Override
    public <R> Promise<R> map(Function<? super T, ? extends R> mapper) {
        return promise.map(mapper);
    }

    @Override
    public <R> Promise<R> flatMap(Function<? super T, Promise<? extends R>> mapper) {
        return promise.flatMap(mapper);
    }

    @Override
    public Promise<T> recover(Function<Promise<?>, ? extends T> recovery) {
        return promise.recover(failed -> recovery.apply(this));
    }

    @Override
    public Promise<T> recover(Function<Promise<?>, ? extends T> recovery, Class<?> failureType) {
        return promise.recover(failed -> recovery.apply(this), failureType);
    }

    @Override
    public Promise<T> recoverWith(Function<Promise<?>, Promise<? extends T>> recovery) {
        return promise.recoverWith(failed -> recovery.apply(this));
    }

    @Override
    public Promise<T> recoverWith(Function<Promise<?>, Promise<? extends T>> recovery, Class<?> failureType) {
        return promise.recoverWith(failed -> recovery.apply(this), failureType);
    }

    @Override
    public Promise<T> fallbackTo(Promise<? extends T> fallback) {
        return promise.fallbackTo(fallback);
    }

    @Override
    public Promise<T> fallbackTo(Promise<? extends T> fallback, Class<?> failureType) {
        return promise.fallbackTo(fallback, failureType);
    }

    @Override
    public Promise<T> timeout(long milliseconds) {
        return promise.timeout(milliseconds);
    }

    @Override
    public Promise<T> delay(long milliseconds) {
        return promise.delay(milliseconds);
    }

    @Override
    public CompletionStage<T> toCompletionStage() {
        return promise.toCompletionStage();
    }

    @Override
    public String toString() {
        return promise.toString();
    }
}
