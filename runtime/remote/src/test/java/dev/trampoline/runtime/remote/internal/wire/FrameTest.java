package dev.trampoline.runtime.remote.internal.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

import org.junit.jupiter.api.Test;

class FrameTest {

    @Test
    void framesRoundTripInOrderAndEndCleanly() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        new Frame(7, Frame.CALL, Payload.of(new byte[] {1, 2, 3})).writeTo(out);
        Frame.of(8, Frame.CANCEL).writeTo(out);

        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
        Frame first = Frame.readFrom(in);
        assertEquals(7, first.callId());
        assertEquals(Frame.CALL, first.kind());
        assertArrayEquals(new byte[] {1, 2, 3}, first.payload().stream().readAllBytes());
        assertEquals(8, Frame.readFrom(in).callId());
        assertNull(Frame.readFrom(in), "end of stream");
    }

    @Test
    void corruptLengthIsRefusedWithoutAllocating() {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(
                new byte[] {0x54, 0x52, 0x4D, 0x50, 0, 0, 0, 2, 0, 0}));
        assertThrows(IOException.class, () -> Frame.readFrom(in));
    }

    @Test
    void textOnTheChannelIsACorruptChannelAtOnce() {
        byte[] warning = "OpenJDK 64-Bit Server VM warning: ...\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        IOException e = assertThrows(IOException.class,
                () -> Frame.readFrom(new DataInputStream(new ByteArrayInputStream(warning))));
        assertEquals(true, e.getMessage().contains("\"Open\""), e.getMessage());
    }

    @Test
    void firstFrameIsFoundAfterWhatAnAgentPrintedAndThatTextIsKept() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write("Profiling started\nTRM TR\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        DataOutputStream out = new DataOutputStream(bytes);
        Frame.text(0, Frame.READY, "ready").writeTo(out);
        Frame.of(9, Frame.RESULT).writeTo(out);
        java.util.List<String> preamble = new java.util.ArrayList<>();

        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
        Frame first = Frame.readFirstFrom(in, 1024, preamble::add);
        assertEquals("ready", first.payload().utf8());
        assertEquals(java.util.List.of("Profiling started\nTRM TR\n"), preamble);
        assertEquals(9, Frame.readFrom(in).callId(), "the frames after the first are read as usual");
    }

    @Test
    void magicNumberInsideThePrintedTextIsNotTakenForTheFirstFrame() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write("banner TRMP and more\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Frame.text(0, Frame.READY, "ready").writeTo(new DataOutputStream(bytes));
        java.util.List<String> preamble = new java.util.ArrayList<>();

        Frame first = Frame.readFirstFrom(new DataInputStream(new java.io.BufferedInputStream(
                new ByteArrayInputStream(bytes.toByteArray()))), 1024, preamble::add);

        assertEquals("ready", first.payload().utf8());
        assertEquals(java.util.List.of("banner TRMP and more\n"), preamble);
    }

    @Test
    void preambleOfExactlyTheLimitIsAcceptedAndOneByteMoreIsNot() throws IOException {
        for (int extra : new int[] {0, 1}) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            bytes.write("x".repeat(16 + extra).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            Frame.text(0, Frame.READY, "ready").writeTo(new DataOutputStream(bytes));
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
            if (extra == 0) {
                assertEquals("ready", Frame.readFirstFrom(in, 16, s -> { }).payload().utf8());
            } else {
                assertThrows(IOException.class, () -> Frame.readFirstFrom(in, 16, s -> { }));
            }
        }
    }

    @Test
    void firstFrameWithoutPreambleReportsNothing() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Frame.text(0, Frame.READY, "ready").writeTo(new DataOutputStream(bytes));
        java.util.List<String> preamble = new java.util.ArrayList<>();
        Frame first = Frame.readFirstFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), 1024,
                preamble::add);
        assertEquals("ready", first.payload().utf8());
        assertEquals(java.util.List.of(), preamble);
    }

    @Test
    void textWithoutAnyFrameIsReportedAtTheEndOfTheStream() throws IOException {
        java.util.List<String> preamble = new java.util.ArrayList<>();
        byte[] text = "Error: could not find or load main class\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertNull(Frame.readFirstFrom(new DataInputStream(new ByteArrayInputStream(text)), 1024, preamble::add));
        assertEquals(java.util.List.of("Error: could not find or load main class\n"), preamble);
    }

    @Test
    void tooMuchTextBeforeTheFirstFrameIsACorruptChannel() {
        byte[] text = "x".repeat(5000).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        IOException e = assertThrows(IOException.class, () -> Frame.readFirstFrom(
                new DataInputStream(new ByteArrayInputStream(text)), 4096, s -> { }));
        assertEquals(true, e.getMessage().contains("more than 4096 bytes"), e.getMessage());
    }

    @Test
    void frameCutShortIsAnError() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new Frame(1, Frame.RESULT, Payload.of(new byte[100])).writeTo(new DataOutputStream(bytes));
        byte[] cut = java.util.Arrays.copyOf(bytes.toByteArray(), 50);
        assertThrows(IOException.class, () -> Frame.readFrom(new DataInputStream(new ByteArrayInputStream(cut))));
    }

    @Test
    void selectorFilterNamesClassesAndEscapesValues() {
        ServiceSelector s = new ServiceSelector(new String[] {"a.B", "c.D"}, "bsn", "1.0.0", "(name=x\\(y\\))");
        assertEquals("(&(objectClass=a.B)(objectClass=c.D)(name=x\\(y\\)))", s.ldap());
        assertEquals("a\\*b\\\\c\\(\\)", Ldap.escape("a*b\\c()"));
    }
}
