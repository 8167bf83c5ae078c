package dev.trampoline.runtime.remote.internal.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import dev.trampoline.runtime.remote.internal.wire.Frame;
import dev.trampoline.runtime.remote.internal.wire.Payload;

class ChildChannelTest {

    private static List<Long> callIds(byte[] written) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(written));
        List<Long> ids = new ArrayList<>();
        for (Frame f; (f = Frame.readFrom(in)) != null;) {
            ids.add(f.callId());
        }
        return ids;
    }

    @Test
    void framesWaitUntilTheChildReadsThenGoInTheOrderTheyWerePosted() throws IOException {
        ByteArrayOutputStream stdin = new ByteArrayOutputStream();
        ChildChannel channel = new ChildChannel(stdin);
        channel.write(Frame.of(1, Frame.CANCEL));
        channel.post(Frame.of(2, Frame.CANCEL));
        channel.flush();
        assertEquals(0, stdin.size(), "the child is not reading yet");

        channel.open();
        channel.write(Frame.of(3, Frame.CANCEL));

        assertEquals(List.of(1L, 2L, 3L), callIds(stdin.toByteArray()));
    }

    @Test
    void framesPostedBeforeTheJvmStartsWaitForItAndAChannelClosedMeanwhileClosesItsStdinOnArrival()
            throws IOException {
        ChildChannel channel = new ChildChannel();
        channel.write(Frame.of(1, Frame.CANCEL));
        channel.open();
        ByteArrayOutputStream stdin = new ByteArrayOutputStream();
        channel.attach(stdin);
        channel.flush();
        assertEquals(List.of(1L), callIds(stdin.toByteArray()));

        ChildChannel retired = new ChildChannel();
        retired.close();
        boolean[] closed = {false};
        retired.attach(new ByteArrayOutputStream() {
            @Override
            public void close() {
                closed[0] = true;
            }
        });
        assertTrue(closed[0], "the child reads the end of its channel and stops");
    }

    @Test
    void postingNeverWaitsForAFullPipeAndTheWriterWritesWhatWasPostedMeanwhile() throws Exception {
        PipedInputStream child = new PipedInputStream(1024); // read by nobody until the end: the pipe fills
        ChildChannel channel = new ChildChannel(new PipedOutputStream(child));
        channel.open();
        Frame first = new Frame(1, Frame.CALL, Payload.of(new byte[256 * 1024]));
        Frame second = new Frame(2, Frame.CALL, Payload.of(new byte[10]));
        Frame third = Frame.of(3, Frame.CANCEL);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        for (Frame f : List.of(first, second, third)) {
            f.writeTo(out);
        }
        byte[] expected = bytes.toByteArray();
        Thread writer = new Thread(() -> {
            try {
                channel.write(first);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        writer.start();
        while (writer.getState() != Thread.State.TIMED_WAITING && writer.getState() != Thread.State.WAITING) {
            Thread.onSpinWait(); // until the writer waits for the full pipe
        }

        channel.post(second); // returns at once, with the pipe full and the writer waiting
        channel.post(third);
        CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
            try {
                return child.readNBytes(expected.length);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        writer.join();

        assertArrayEquals(expected, read.get(), "the writer wrote what was posted meanwhile, in order");
    }

    private static List<Byte> kinds(byte[] written) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(written));
        List<Byte> kinds = new ArrayList<>();
        for (Frame f; (f = Frame.readFrom(in)) != null;) {
            kinds.add(f.kind());
        }
        return kinds;
    }

    @Test
    void aHeartbeatGoesOnlyToAChildThatReadsWhenNothingWaitsAndNothingWasWrittenForTheInterval() throws IOException {
        long never = Long.MAX_VALUE; // an interval that never passes
        ChildChannel channel = new ChildChannel();
        assertFalse(channel.postHeartbeatIfQuiet(0), "no JVM yet");
        ByteArrayOutputStream stdin = new ByteArrayOutputStream();
        channel.attach(stdin);
        assertFalse(channel.postHeartbeatIfQuiet(0), "the child does not read its channel before it is ready");

        channel.open();
        assertTrue(channel.postHeartbeatIfQuiet(never), "nothing was ever written: the first one goes at once");
        assertFalse(channel.postHeartbeatIfQuiet(0), "one waits to be written already");
        channel.flush();
        assertFalse(channel.postHeartbeatIfQuiet(never), "a frame was written within the interval");
        channel.post(Frame.of(1, Frame.CANCEL));
        assertFalse(channel.postHeartbeatIfQuiet(0), "a frame waits: it is the sign of life");
        channel.flush();
        assertTrue(channel.postHeartbeatIfQuiet(0));
        channel.flush();
        assertEquals(List.of(Frame.HEARTBEAT, Frame.CANCEL, Frame.HEARTBEAT), kinds(stdin.toByteArray()));

        channel.close();
        assertFalse(channel.postHeartbeatIfQuiet(0), "a closed channel's child is leaving: it gets no more");
    }
}
