package dev.trampoline.runtime.remote.internal.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.trampoline.runtime.remote.internal.ThreadAllocation;

/**
 * What a child sends is a claim, not a fact: whatever bytes come, the frame reader returns frames, null at the
 * end, or an {@link IOException}; it never takes more memory than the limit lets it, nor keeps any once a read
 * is over, nor loops. A normal build runs the seeds and saved findings under
 * {@code src/test/resources/.../FrameFuzzTestInputs/}; {@code JAZZER_FUZZ=1} fuzzes (see the module's README).
 */
class FrameFuzzTest {

    /** Small enough that inputs the fuzzer makes (4 KiB and more) go over it. */
    private static final int SMALL_FRAME = 1024;
    /** What both limits may take; a reader that allocated an announced length would pass it. */
    private static final long BUDGET = 1024 * 1024;
    /**
     * Exception messages, stack traces, the frame objects, and what the fuzzer's own hooks allocate while it
     * fuzzes (over 100 KB for an input of 500 bytes): far less than the announced lengths a careless reader
     * would allocate (up to 64 MiB here).
     */
    private static final long SLACK = 1024 * 1024;
    /** The largest first frame ({@link Frame#readFirstFrom} reads it under a limit of its own). */
    private static final long FIRST_FRAME = 64 * 1024;


    @FuzzTest(maxDuration = "60s")
    void readFrom(byte[] input) {
        for (ReadLimit limit : limits()) {
            readAll(stream(input), limit); // loads (and instruments) what this input reaches: not the reader's cost
            long before = ThreadAllocation.bytes();
            readAll(stream(input), limit);
            assertAllocatedAtMost(before, input, limit, 0);
        }
    }

    @FuzzTest(maxDuration = "60s")
    void readFirstFrom(byte[] input) {
        for (ReadLimit limit : limits()) {
            readFirstThenAll(input, limit); // loads (and instruments) what this input reaches: not the reader's cost
            long before = ThreadAllocation.bytes();
            readFirstThenAll(input, limit);
            assertAllocatedAtMost(before, input, limit, FIRST_FRAME);
        }
    }

    /** What a parent reads from a child: the first frame after what the child printed before, then frames. */
    private static void readFirstThenAll(byte[] input, ReadLimit limit) {
        int maxPreamble = 256;
        DataInputStream in = stream(input);
        int[] preamble = new int[2]; // calls, chars
        Frame first;
        try {
            first = Frame.readFirstFrom(in, maxPreamble, text -> {
                preamble[0]++;
                preamble[1] += text.length();
            });
        } catch (IOException corrupt) {
            first = null;
        }
        assertTrue(preamble[0] <= 1, "the preamble is passed on once");
        assertTrue(preamble[1] <= maxPreamble + 4, "a preamble of " + preamble[1] + " chars");
        if (first != null) {
            assertEquals(0, first.callId());
            assertEquals(Frame.READY, first.kind());
            assertTrue(first.payload().size() <= FIRST_FRAME, "first frame " + first.payload().size());
            readAll(in, limit);
        }
    }

    /** A frame limit the fuzzer's inputs reach, and one only the budget holds back. */
    private static List<ReadLimit> limits() {
        return List.of(ReadLimit.of(SMALL_FRAME, BUDGET), ReadLimit.of(64 * 1024 * 1024, BUDGET));
    }

    private static DataInputStream stream(byte[] input) {
        return new DataInputStream(new ByteArrayInputStream(input));
    }

    /** Reads frames until the end or an IOException (anything else thrown fails the fuzz test). */
    private static void readAll(DataInputStream in, ReadLimit limit) {
        while (true) {
            Frame f;
            try {
                f = Frame.readFrom(in, limit);
            } catch (IOException corrupt) {
                assertEquals(0, limit.inUse(), "a failed read gives its memory back");
                return;
            }
            assertEquals(0, limit.inUse(), "a read gives its memory back");
            if (f == null) {
                return;
            }
            assertTrue(f.payload().size() <= limit.maxFrame(),
                    "a frame of " + f.payload().size() + " bytes read under a limit of " + limit.maxFrame());
        }
    }

    /**
     * Bytes received may be held (twice over, as an array doubles, and once more while copied); beyond them, a
     * read may take one first piece before its bytes arrive, never more than the limit lets it (and a child's
     * first frame, read under a limit of its own, one more).
     */
    private static void assertAllocatedAtMost(long before, byte[] input, ReadLimit limit, long firstFrame) {
        if (!ThreadAllocation.counted()) {
            return;
        }
        long allocated = ThreadAllocation.bytes() - before;
        long bound = 4L * input.length + Math.min(limit.maxFrame(), BUDGET) + firstFrame + SLACK;
        assertTrue(allocated <= bound, "reading " + input.length + " bytes under a limit of " + limit.maxFrame()
                + " allocated " + allocated + " bytes, more than " + bound);
    }
}
