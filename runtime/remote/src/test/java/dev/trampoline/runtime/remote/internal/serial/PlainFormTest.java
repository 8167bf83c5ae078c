package dev.trampoline.runtime.remote.internal.serial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.trampoline.runtime.remote.internal.wire.CallRequest;
import dev.trampoline.runtime.remote.internal.wire.MethodCall;
import dev.trampoline.runtime.remote.internal.wire.Payload;
import dev.trampoline.runtime.remote.internal.wire.ServiceSelector;

class PlainFormTest {

    private static final ServiceSelector SELECTOR = new ServiceSelector(new String[] {"a.Greeter", "b.Named"},
            "greeter", "1.2.3", "(lang=fr)");

    private static CallRequest call(ServiceSelector selector, String[] types, Object... arguments) {
        return new CallRequest(selector, new MethodCall("greet", types, arguments), 1234);
    }

    @Test
    void methodCallWithEveryKindOfPlainArgumentRoundTrips() throws IOException {
        Object[] arguments = {null, "x", "ünïcødé \uD83D\uDE00 \uD800 lone surrogate", 1, -2L, true, 1.5d, 2.5f,
                (short) 3, (byte) 4, 'c', Double.NaN, Long.MIN_VALUE};
        CallRequest request = call(SELECTOR, new String[] {"java.lang.String", "int"}, arguments);
        assertTrue(PlainForm.fits(request));

        CallRequest back = (CallRequest) PlainForm.read(PlainForm.write(request));

        assertEquals(1234, back.serviceWaitMillis());
        assertArrayEquals(SELECTOR.objectClass(), back.selector().objectClass());
        assertEquals(SELECTOR.key(), back.selector().key());
        MethodCall m = (MethodCall) back.action();
        assertEquals("greet", m.name());
        assertArrayEquals(new String[] {"java.lang.String", "int"}, m.parameterTypes());
        assertArrayEquals(arguments, m.arguments());
        for (int i = 1; i < arguments.length; i++) {
            assertEquals(arguments[i].getClass(), m.arguments()[i].getClass(), "argument " + i + " keeps its type");
        }
    }

    @Test
    void absentPartsStayAbsent() throws IOException {
        CallRequest request = new CallRequest(null, new MethodCall("toString", null, null), 0);
        CallRequest back = (CallRequest) PlainForm.read(PlainForm.write(request));
        assertNull(back.selector());
        assertNull(((MethodCall) back.action()).parameterTypes());
        assertNull(((MethodCall) back.action()).arguments());

        ServiceSelector bare = new ServiceSelector(new String[] {"a.B"}, null, null, null);
        ServiceSelector s = ((CallRequest) PlainForm.read(PlainForm.write(call(bare, null)))).selector();
        assertNull(s.bundleSymbolicName());
        assertNull(s.filter());
        assertEquals(0, ((MethodCall) ((CallRequest) PlainForm.read(PlainForm.write(call(bare, null)))).action())
                .arguments().length);
    }

    @Test
    void plainResultsRoundTrip() throws IOException {
        for (Object v : Arrays.asList(null, "Hello x", 42, 7L, false, 'z', "")) {
            assertTrue(PlainForm.fits(v));
            assertEquals(v, PlainForm.read(PlainForm.write(v)));
        }
    }

    @Test
    void anythingElseIsLeftToJavaSerialization() {
        assertFalse(PlainForm.fits(List.of("x")), "a collection");
        assertFalse(PlainForm.fits(new int[] {1}), "an array");
        assertFalse(PlainForm.fits(java.math.BigDecimal.ONE), "a number that is not a boxed primitive");
        assertFalse(PlainForm.fits("x".repeat(PlainForm.MAX_STRING + 1)), "a string longer than writeUTF takes");
        assertFalse(PlainForm.fits(call(SELECTOR, null, "ok", List.of())), "a call with one argument not plain");
        assertFalse(PlainForm.fits(new CallRequest(SELECTOR, (Serializable & Runnable) () -> { }, 0)),
                "a function rather than a method call");
        assertTrue(PlainForm.fits("x".repeat(PlainForm.MAX_STRING)));
        String s = "y".repeat(PlainForm.MAX_STRING);
        Object[] many = java.util.Collections.nCopies(PlainForm.MAX_CHARS / PlainForm.MAX_STRING + 1, s).toArray();
        assertFalse(PlainForm.fits(call(SELECTOR, null, many)),
                "one string many times: Java serialization writes it once and refers back to it");
    }

    @Test
    void corruptOrCutFormIsAnErrorAndAllocatesNothingLarge() throws IOException {
        byte[] good = PlainForm.write(call(SELECTOR, null, "x", 1)).toBytes();
        Payload whole = Payload.fromBytes(good);
        assertTrue(PlainForm.isIn(whole));

        byte[] cut = Arrays.copyOf(streamOf(whole), streamOf(whole).length - 3);
        assertThrows(IOException.class, () -> PlainForm.read(Payload.of(cut)));

        byte[] stream = streamOf(whole);
        // kind CALL, wait, selector present, then a class count of two billion
        int countAt = 2 + 8 + 1;
        stream[countAt] = 0x7F;
        assertThrows(IOException.class, () -> PlainForm.read(Payload.of(stream)));

        byte[] unknownTag = {PlainForm.MARK, 1, 99};
        assertThrows(IOException.class, () -> PlainForm.read(Payload.of(unknownTag)));
        byte[] trailing = {PlainForm.MARK, 1, 0, 0};
        assertThrows(IOException.class, () -> PlainForm.read(Payload.of(trailing)));
    }

    private static byte[] streamOf(Payload p) throws IOException {
        return p.stream().readAllBytes();
    }
}
