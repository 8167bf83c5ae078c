package dev.trampoline.runtime.remote.internal.wire;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * How much the other end of a channel can make its reader allocate. A child runs plugin code, so a frame's
 * length is a claim, not a fact: no frame longer than {@link #maxFrame()} is read at all, and memory for a
 * frame is taken only as its bytes arrive (see {@link Payload}), from a budget that all channels of one JVM
 * share, so that several children sending at once cannot take more than the budget together.
 */
public final class ReadLimit {

    /** Framework property: the largest call, result or failure a channel carries, in bytes. */
    public static final String MAX_FRAME_PROPERTY = "trampoline.remote.maxFrameBytes";
    /**
     * 256 MiB: large enough for bulk data in one call, small enough that one frame cannot take a default-sized
     * heap. Parent and child read the same property (children inherit it), so they agree on it.
     */
    public static final int DEFAULT_MAX_FRAME = 256 * 1024 * 1024;

    /** Frames partly read, all channels of this JVM together, at most half its heap. */
    private static final AtomicLong SHARED_IN_USE = new AtomicLong();
    private static final long SHARED_BUDGET = Runtime.getRuntime().maxMemory() / 2;

    private final int maxFrame;
    private final AtomicLong inUse;
    private final long budget;

    private ReadLimit(int maxFrame, AtomicLong inUse, long budget) {
        if (maxFrame < 0 || maxFrame > Frame.MAX_PAYLOAD) {
            throw new IllegalArgumentException(MAX_FRAME_PROPERTY + " must be between 0 and " + Frame.MAX_PAYLOAD
                    + ": " + maxFrame);
        }
        this.maxFrame = maxFrame;
        this.inUse = inUse;
        this.budget = budget;
    }

    /** A limit with a budget of its own (for tests and for reading outside a channel). */
    public static ReadLimit of(int maxFrame, long budget) {
        return new ReadLimit(maxFrame, new AtomicLong(), budget);
    }

    /** The default frame limit and this JVM's shared budget. */
    public static ReadLimit standard() {
        return new ReadLimit(DEFAULT_MAX_FRAME, SHARED_IN_USE, SHARED_BUDGET);
    }

    /** The frame limit a framework sets ({@value #MAX_FRAME_PROPERTY}), with this JVM's shared budget. */
    public static ReadLimit forFramework(UnaryOperator<String> property) {
        return shared(maxFrame(property.apply(MAX_FRAME_PROPERTY)));
    }

    /** A frame limit of {@code maxFrame} bytes with this JVM's shared budget. */
    public static ReadLimit shared(int maxFrame) {
        return new ReadLimit(maxFrame, SHARED_IN_USE, SHARED_BUDGET);
    }

    /** The value of {@value #MAX_FRAME_PROPERTY}, or its default when {@code value} is null or blank. */
    public static int maxFrame(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_MAX_FRAME;
        }
        try {
            long n = Long.parseLong(value.strip());
            if (n < 1 || n > Frame.MAX_PAYLOAD) {
                throw new IllegalArgumentException(MAX_FRAME_PROPERTY + " must be between 1 and " + Frame.MAX_PAYLOAD
                        + " (bytes): " + value);
            }
            return (int) n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(MAX_FRAME_PROPERTY + " is not a number of bytes: " + value);
        }
    }

    /** The largest payload a frame may carry. */
    public int maxFrame() {
        return maxFrame;
    }

    /** Refuses a payload longer than the limit, before anything is allocated for it. */
    void checkLength(long payloadLength) throws IOException {
        if (payloadLength > maxFrame) {
            throw new IOException("corrupt channel: a frame of " + payloadLength + " bytes is announced, more than"
                    + " the " + maxFrame + " a frame may carry (" + MAX_FRAME_PROPERTY + ")");
        }
    }

    /** Takes {@code bytes} from the budget, or fails saying that the budget is spent. */
    void reserve(long bytes) throws IOException {
        long now = inUse.addAndGet(bytes);
        if (now > budget) {
            inUse.addAndGet(-bytes);
            throw new IOException("the frames being read take " + (now - bytes) + " bytes already, and "
                    + bytes + " more would pass the " + budget + " bytes this JVM lets all channels take together"
                    + " (half its heap)");
        }
    }

    void release(long bytes) {
        inUse.addAndGet(-bytes);
    }

    /** Bytes taken from the budget now (for tests and diagnostics). */
    public long inUse() {
        return inUse.get();
    }
}
