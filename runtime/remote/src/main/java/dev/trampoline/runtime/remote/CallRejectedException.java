package dev.trampoline.runtime.remote;

/**
 * A call was refused at once because every child is busy and the queue of waiting calls is full
 * ({@code trampoline.pool.queueSize}). Nothing of it ran; it may be retried later. (Before version 2 of this
 * package this was a {@link java.util.concurrent.RejectedExecutionException}.)
 */
public class CallRejectedException extends CallFailedException {

    private static final long serialVersionUID = 1L;

    public CallRejectedException(String message) {
        super(message);
    }
}
