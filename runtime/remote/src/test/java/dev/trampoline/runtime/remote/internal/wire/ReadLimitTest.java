package dev.trampoline.runtime.remote.internal.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** What a lying or greedy sender can make a frame reader allocate. */
class ReadLimitTest {

    private static final int MiB = 1024 * 1024;

    /** A frame header claiming {@code payloadLength} bytes, followed by {@code sent} bytes of payload. */
    private static DataInputStream header(int payloadLength, byte[] sent) {
        ByteBuffer b = ByteBuffer.allocate(17 + sent.length).putInt(Frame.MAGIC).putInt(9 + payloadLength)
                .putLong(1).put(Frame.RESULT).put(sent);
        return new DataInputStream(new ByteArrayInputStream(b.array()));
    }

    private static byte[] written(Frame f) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        f.writeTo(new DataOutputStream(bytes));
        return bytes.toByteArray();
    }

    @Test
    void frameLongerThanTheLimitIsRefusedFromItsHeaderNamingTheProperty() {
        ReadLimit limit = ReadLimit.of(16 * MiB, 0); // no budget at all: refused before anything is taken
        for (int claimed : new int[] {Integer.MAX_VALUE - 100, 512 * MiB, 16 * MiB + 1}) {
            IOException e = assertThrows(IOException.class, () -> Frame.readFrom(header(claimed, new byte[0]), limit));
            assertTrue(e.getMessage().contains(claimed + " bytes") && e.getMessage().contains(ReadLimit.MAX_FRAME_PROPERTY),
                    e.getMessage());
        }
        assertEquals(0, limit.inUse());
    }

    @Test
    void lyingLengthCostsOnlyWhatWasSent() {
        // 200 MiB announced, 10 bytes sent, 2 MiB of budget: a reader that allocated the announced length would
        // fail on the budget; this one waits for bytes, and the stream ends.
        ReadLimit limit = ReadLimit.of(256 * MiB, 2 * MiB);
        byte[] sent = ByteBuffer.allocate(10).putInt(0).array();
        assertThrows(EOFException.class, () -> Frame.readFrom(header(200 * MiB, sent), limit));
        assertEquals(0, limit.inUse(), "what the cut frame took is given back");
    }

    @Test
    void framesTogetherCannotPassTheBudget() throws IOException {
        ReadLimit limit = ReadLimit.of(256 * MiB, 3 * MiB);
        byte[] big = written(new Frame(1, Frame.RESULT, Payload.of(new byte[5 * MiB])));
        IOException e = assertThrows(IOException.class,
                () -> Frame.readFrom(new DataInputStream(new ByteArrayInputStream(big)), limit));
        assertTrue(e.getMessage().contains("half its heap"), e.getMessage());
        assertEquals(0, limit.inUse());

        byte[] fits = written(new Frame(2, Frame.RESULT, Payload.of(new byte[MiB])));
        assertEquals(MiB, Frame.readFrom(new DataInputStream(new ByteArrayInputStream(fits)), limit).payload().size()
                - Integer.BYTES, "a frame within the budget reads, and its memory is given back after");
        assertEquals(0, limit.inUse());
    }

    @Test
    void payloadsGrowingPastTheFirstPieceArriveIntact() throws IOException {
        Random random = new Random(7);
        for (int size : new int[] {0, 1, MiB - 1, MiB, MiB + 1, 5 * MiB + 3}) {
            byte[] stream = new byte[size];
            random.nextBytes(stream);
            byte[] blob = new byte[3 * MiB + 17];
            random.nextBytes(blob);
            byte[] bytes = written(new Frame(9, Frame.RESULT, new Payload(stream, size, List.of(blob))));

            Frame f = Frame.readFrom(new DataInputStream(new ByteArrayInputStream(bytes)), ReadLimit.of(64 * MiB, 64 * MiB));

            assertArrayEquals(stream, f.payload().stream().readAllBytes(), "stream of " + size);
            assertArrayEquals(blob, f.payload().blob(0), "blob next to a stream of " + size);
        }
    }

    @Test
    void limitPropertyIsCheckedWithAClearMessage() {
        assertEquals(ReadLimit.DEFAULT_MAX_FRAME, ReadLimit.maxFrame(null));
        assertEquals(1000, ReadLimit.maxFrame(" 1000 "));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ReadLimit.maxFrame("lots")).getMessage()
                .contains(ReadLimit.MAX_FRAME_PROPERTY));
        assertThrows(IllegalArgumentException.class, () -> ReadLimit.maxFrame("0"));
        assertThrows(IllegalArgumentException.class, () -> ReadLimit.maxFrame("4294967296"));
    }
}
