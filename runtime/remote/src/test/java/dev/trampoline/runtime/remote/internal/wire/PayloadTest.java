package dev.trampoline.runtime.remote.internal.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class PayloadTest {

    private static byte[] random(int length, long seed) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] written(Frame... frames) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        for (Frame f : frames) {
            f.writeTo(out);
        }
        return bytes.toByteArray();
    }

    /** A pipe hands over at most 64 KiB per read; this one gives fewer, and odd, counts. */
    private static DataInputStream trickling(byte[] bytes) {
        InputStream in = new FilterInputStream(new ByteArrayInputStream(bytes)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 7_001));
            }
        };
        return new DataInputStream(in);
    }

    @Test
    void blobsAndStreamCrossAFrameIntactAndInOrder() throws IOException {
        byte[] big = random(1_000_000, 1);
        byte[] second = random(200_000, 2);
        byte[] stream = random(300, 3);
        Payload sent = new Payload(java.util.Arrays.copyOf(stream, 512), 300, List.of(big, second));

        DataInputStream in = trickling(written(new Frame(9, Frame.RESULT, sent), Frame.of(10, Frame.CANCEL)));
        Frame f = Frame.readFrom(in);

        assertEquals(9, f.callId());
        assertEquals(2, f.payload().blobCount());
        assertArrayEquals(big, f.payload().blob(0));
        assertArrayEquals(second, f.payload().blob(1));
        assertArrayEquals(stream, f.payload().stream().readAllBytes(), "only the used part of the stream's array");
        assertEquals(sent.size(), f.payload().size());
        assertEquals(10, Frame.readFrom(in).callId(), "the next frame starts where the blobs end");
    }

    @Test
    void payloadNestedInAnotherKeepsItsBlobs() throws IOException {
        byte[] big = random(100_000, 4);
        Payload inner = new Payload(new byte[] {1, 2}, 2, List.of(big));

        Payload back = Payload.fromBytes(inner.toBytes());

        assertArrayEquals(big, back.blob(0));
        assertArrayEquals(new byte[] {1, 2}, back.stream().readAllBytes());
    }

    /** A RESULT frame whose payload starts with {@code ints}, then zeros up to {@code payloadSize} bytes. */
    private static DataInputStream frame(int payloadSize, int... ints) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 + 9 + payloadSize).putInt(0x54524D50).putInt(9 + payloadSize)
                .putLong(1).put(Frame.RESULT);
        for (int i : ints) {
            b.putInt(i);
        }
        return new DataInputStream(new ByteArrayInputStream(b.array()));
    }

    private static String corrupt(DataInputStream in) {
        return assertThrows(IOException.class, () -> Frame.readFrom(in)).getMessage();
    }

    @Test
    void blobLayoutsThatDoNotAddUpAreACorruptChannel() {
        assertTrue(corrupt(frame(70_000, 1, 1_000_000)).contains("exceed a payload of 70000 bytes"));
        assertTrue(corrupt(frame(70_000, 1, 100)).contains("blob of 100 bytes"), "shorter than a blob can be");
        assertTrue(corrupt(frame(8, -1)).contains("-1 blobs"));
        // More blobs than the frame has room for: refused before anything is allocated for them.
        assertTrue(corrupt(frame(8, Integer.MAX_VALUE / 4)).contains("blobs in a payload of 8 bytes"));
    }

    @Test
    void payloadOverTheChannelsLimitIsRefusedBeforeAByteIsWritten() {
        byte[] piece = new byte[Payload.MIN_BLOB_LENGTH];
        int pieces = (int) (Frame.MAX_PAYLOAD / piece.length) + 1; // 2 GiB in all, yet one 64 KiB array in memory
        Payload tooLarge = new Payload(new byte[0], 0, java.util.Collections.nCopies(pieces, piece));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Frame(1, Frame.CALL, tooLarge).writeTo(new DataOutputStream(bytes)));

        assertTrue(e.getMessage().contains("larger than the channel takes"), e.getMessage());
        assertEquals(0, bytes.size(), "the channel stays whole");
    }

    @Test
    void textFramesCarryTheirText() throws IOException {
        Frame f = Frame.readFrom(new DataInputStream(new ByteArrayInputStream(
                written(Frame.text(0, Frame.READY, "pid=42;ready=1 ms")))));
        assertEquals("pid=42;ready=1 ms", f.payload().utf8());
        assertEquals(0, f.payload().blobCount());
    }
}
