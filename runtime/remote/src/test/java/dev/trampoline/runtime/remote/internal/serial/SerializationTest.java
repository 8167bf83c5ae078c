package dev.trampoline.runtime.remote.internal.serial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.apache.felix.framework.Felix;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Constants;

import dev.trampoline.runtime.remote.internal.wire.Payload;
import dev.trampoline.runtime.remote.internal.wire.ReadLimit;

/** Serialization in a real (empty) framework: large byte arrays travel beside the object stream, as blobs. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SerializationTest {

    private Felix framework;
    private Serialization serialization;

    @BeforeAll
    void start(@TempDir Path cache) throws Exception {
        framework = new Felix(Map.of(Constants.FRAMEWORK_STORAGE, cache.toString(),
                Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT));
        framework.start();
        serialization = new Serialization(framework.getBundleContext(),
                new ClassFilter.Limits(200, 300_000, 10_000, 1_000_000), ReadLimit.DEFAULT_MAX_FRAME);
    }

    @AfterAll
    void stop() throws Exception {
        framework.stop();
        framework.waitForStop(10_000);
    }

    private static byte[] random(int length, long seed) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void plainMethodCallsSkipJavaSerializationAndTheRestKeepIt() throws Exception {
        dev.trampoline.runtime.remote.internal.wire.ServiceSelector selector =
                new dev.trampoline.runtime.remote.internal.wire.ServiceSelector(new String[] {"a.B"}, null, null, null);
        var plain = new dev.trampoline.runtime.remote.internal.wire.CallRequest(selector,
                new dev.trampoline.runtime.remote.internal.wire.MethodCall("greet", null, new Object[] {"x", 3}), 5);
        Payload p = serialization.write(plain);
        Payload o = serialization.write(new ArrayList<>(List.of("x"))); // the wire classes are no bundle's here

        assertTrue(PlainForm.isIn(p));
        assertEquals(false, PlainForm.isIn(o), "a list goes through Java serialization");
        var m = (dev.trampoline.runtime.remote.internal.wire.MethodCall)
                ((dev.trampoline.runtime.remote.internal.wire.CallRequest) serialization.read(p)).action();
        assertArrayEquals(new Object[] {"x", 3}, m.arguments());
        assertEquals(List.of("x"), serialization.read(o));
        assertEquals("Hello", serialization.read(serialization.writeForImmediateSend("Hello")));
        Serialization.ReadException e = assertThrows(Serialization.ReadException.class,
                () -> serialization.read(Payload.of(new byte[] {PlainForm.MARK, 1, 77})));
        assertTrue(e.getMessage().contains("unknown value tag 77"), e.getMessage());
    }

    @Test
    void largeArraysTravelAsBlobsAndKeepTheirSharing() throws Exception {
        byte[] big = random(Payload.MIN_BLOB_LENGTH, 1);
        byte[] other = random(100_000, 2);
        byte[] small = random(Payload.MIN_BLOB_LENGTH - 1, 3);
        List<Object> value = new ArrayList<>(List.of(big, "between", other, big, small));

        Payload payload = serialization.write(value);

        assertEquals(2, payload.blobCount(), "each large array once, the small one inside the stream");
        @SuppressWarnings("unchecked")
        List<Object> back = (List<Object>) serialization.read(payload);
        assertEquals(5, back.size());
        assertArrayEquals(big, (byte[]) back.get(0));
        assertEquals("between", back.get(1));
        assertArrayEquals(other, (byte[]) back.get(2));
        assertSame(back.get(0), back.get(3), "one array referenced twice is still one array");
        assertArrayEquals(small, (byte[]) back.get(4));
    }

    @Test
    void writeTakesACopySoTheCallerMayReuseItsArray() throws Exception {
        byte[] buffer = random(100_000, 4);
        byte[] original = buffer.clone();

        Payload queued = serialization.write(buffer);
        buffer[0]++; // the caller refills its buffer while the call waits for a child

        assertArrayEquals(original, (byte[]) serialization.read(queued));
        assertNotSame(buffer, queued.blob(0));
    }

    @Test
    void writeForImmediateSendSendsTheArrayItself() {
        byte[] result = random(100_000, 5);
        assertSame(result, serialization.writeForImmediateSend(result).blob(0));
    }

    @Test
    void blobOverTheArrayLimitIsRefusedWhenRead() {
        Payload tooLong = serialization.write(new byte[300_001]);

        Serialization.ReadException e = assertThrows(Serialization.ReadException.class,
                () -> serialization.read(tooLong));
        assertEquals("Refused to deserialize the stream: limit exceeded: array length 300001 > 300000"
                + " (elements of one array).", e.getMessage());
    }

    @Test
    void arrayClaimingMoreElementsThanThePayloadCarriesIsRefusedBeforeItIsAllocated() throws Exception {
        byte[] stream = serialization.write(new long[] {1, 2, 3}).stream().readAllBytes();
        // the array's length comes just before its elements: a few dozen bytes that claim 1.6 MB
        java.nio.ByteBuffer.wrap(stream).putInt(stream.length - 3 * Long.BYTES - Integer.BYTES, 200_000);

        Serialization.ReadException e = assertThrows(Serialization.ReadException.class,
                () -> serialization.read(Payload.of(stream)));
        assertTrue(e.getMessage().contains("limit exceeded: array length 200000 > what a payload of"),
                e.getMessage());
        assertArrayEquals(new long[] {1, 2, 3}, (long[]) serialization.read(serialization.write(new long[] {1, 2, 3})));
    }

    @Test
    void setOfAListThatHoldsItselfIsRefusedNotAStackOverflow() {
        java.util.Set<Object> set = new java.util.HashSet<>();
        List<Object> list = new ArrayList<>();
        set.add(list);
        list.add(list); // after it went in: reading the set hashes the list, which hashes itself, without end
        Payload payload = serialization.write(set);

        Serialization.ReadException e = assertThrows(Serialization.ReadException.class,
                () -> serialization.read(payload));
        assertTrue(e.getMessage().contains("StackOverflowError"), e.getMessage());
    }

    @Test
    void streamReferringToAMissingBlobIsRefused() throws Exception {
        Payload written = serialization.write(random(100_000, 6));
        byte[] stream = written.stream().readAllBytes();
        Payload withoutBlob = new Payload(stream, stream.length, List.of());

        Serialization.ReadException e = assertThrows(Serialization.ReadException.class,
                () -> serialization.read(withoutBlob));
        assertTrue(e.getMessage().contains("blob 0 of 0"), e.getMessage());
    }

    @Test
    void aStreamTooDeepIsRefusedNamingTheLimitNotAClass() {
        List<Object> nested = new ArrayList<>();
        List<Object> inner = nested;
        for (int i = 0; i < 300; i++) {
            List<Object> next = new ArrayList<>();
            inner.add(next);
            inner = next;
        }
        Payload deep = serialization.write(nested);

        Serialization.ReadException e = assertThrows(Serialization.ReadException.class, () -> serialization.read(deep));
        assertEquals("Refused to deserialize the stream: limit exceeded: depth 201 > 200 (nesting).", e.getMessage());
    }

    @Test
    void aUrlTravelsAsItsTextAndNotInsideAnObjectGraph() throws Exception {
        java.net.URL url = new java.net.URL("https://unresolvable.invalid:8443/a/b?c=d#e");
        var call = new dev.trampoline.runtime.remote.internal.wire.CallRequest(null,
                new dev.trampoline.runtime.remote.internal.wire.MethodCall("fetch", null, new Object[] {url}), 5);

        Payload plain = serialization.write(call);
        assertTrue(PlainForm.isIn(plain), "a URL argument is a plain value");
        var m = (dev.trampoline.runtime.remote.internal.wire.MethodCall)
                ((dev.trampoline.runtime.remote.internal.wire.CallRequest) serialization.read(plain)).action();
        assertEquals(url.toExternalForm(), ((java.net.URL) m.arguments()[0]).toExternalForm());
        assertEquals(url.toExternalForm(), ((java.net.URL) serialization.read(serialization.write(url)))
                .toExternalForm(), "a URL result");

        Payload inAList = serialization.write(new ArrayList<>(List.of(url)));
        Serialization.ReadException e = assertThrows(Serialization.ReadException.class,
                () -> serialization.read(inAList));
        assertEquals("Refused to deserialize java.net.URL: it is a known deserialization gadget (deny list:"
                + " java.net.URL); pass the URL as a String or a java.net.URI instead.", e.getMessage());
    }
}
