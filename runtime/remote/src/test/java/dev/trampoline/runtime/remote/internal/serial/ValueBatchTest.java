package dev.trampoline.runtime.remote.internal.serial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import dev.trampoline.runtime.remote.CallNotSerializableException;
import dev.trampoline.runtime.remote.internal.wire.Failure;

/** The values of a bulk call's chunk, in a real (empty) framework whose filter allows the wire classes. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ValueBatchTest {

    private WireFramework framework;
    private Serialization serialization;

    @BeforeAll
    void start(@TempDir Path cache) throws Exception {
        framework = new WireFramework(cache);
        serialization = framework.serialization();
    }

    @AfterAll
    void stop() throws Exception {
        framework.close();
    }

    private List<Object> roundTrip(List<?> entries) throws IOException {
        return read(serialization, ValueBatch.write(serialization, entries,
                (position, why) -> serialization.failureOf(why)), (position, why) -> "unreadable: " + why);
    }

    private static List<Object> read(Serialization s, byte[] bytes, ValueBatch.Unreadable unreadable)
            throws IOException {
        ValueBatch.Indexed indexed = ValueBatch.index(s, bytes, countIn(bytes), unreadable);
        return IntStream.range(0, indexed.size()).mapToObj(indexed::get).toList();
    }

    /** The entry count a batch's header says (here the tests make the batches; a caller knows it). */
    private static int countIn(byte[] bytes) {
        return java.nio.ByteBuffer.wrap(bytes).getInt();
    }

    @Test
    void plainValuesTakeAFewBytesEachAndComeBackEqual() throws Exception {
        List<Object> ints = IntStream.range(0, 10_000).boxed().map(i -> (Object) i).toList();
        byte[] bytes = ValueBatch.write(serialization, ints, (p, why) -> null);

        assertEquals(8 + 5 * 10_000, bytes.length, "a count, no stream, then a tag and four bytes per int");
        assertEquals(ints, roundTrip(ints));
        List<Object> mixed = Arrays.asList(null, "text", 3L, true, 2.5, 1.5f, (short) 7, (byte) 8, 'c', "é€");
        assertEquals(mixed, roundTrip(mixed));
    }

    @Test
    void otherValuesAndFailuresShareOneJavaStreamAndKeepTheirPlaces() throws Exception {
        Failure failed = serialization.failureOf(new IllegalStateException("input 2 failed"));
        List<Object> entries = Arrays.asList(1, new ArrayList<>(List.of("a", "b")), failed, "x", new int[] {4, 5});

        List<Object> back = roundTrip(entries);

        assertEquals(1, back.get(0));
        assertEquals(List.of("a", "b"), back.get(1));
        assertEquals("input 2 failed", assertInstanceOf(Failure.class, back.get(2)).description().message());
        assertEquals("x", back.get(3));
        assertEquals(List.of(4, 5), Arrays.stream((int[]) back.get(4)).boxed().toList());
    }

    @Test
    void aValueThatCannotBeSerializedFailsAloneAtItsPosition() throws Exception {
        List<Object> entries = Arrays.asList(new ArrayList<>(List.of(1)), new Object(), "fine", new ArrayList<>());
        int[] reported = {-1};

        List<Object> back = read(serialization, ValueBatch.write(serialization, entries, (position, why) -> {
            reported[0] = position;
            return serialization.failureOf(why);
        }), (position, why) -> "unreadable");

        assertEquals(1, reported[0]);
        assertEquals(List.of(1), back.get(0));
        Failure f = assertInstanceOf(Failure.class, back.get(1));
        assertEquals(CallNotSerializableException.class.getName(), f.description().className());
        assertTrue(f.description().message().contains("java.lang.Object is not serializable"),
                f.description().message());
        assertEquals("fine", back.get(2));
        assertEquals(List.of(), back.get(3));
    }

    /** Not allowed by the filter: no bundle's class, no allowed JDK class. */
    record Refused(int n) implements java.io.Serializable {
    }

    @Test
    void aStreamTheFilterRefusesSpoilsOnlyTheEntriesInIt() throws Exception {
        byte[] bytes = ValueBatch.write(serialization, Arrays.asList(1, new Refused(2), 3), (p, why) -> null);

        List<Object> back = read(serialization, bytes, (position, why) -> "refused at " + position + ": " + why);

        assertEquals(1, back.get(0));
        assertTrue(back.get(1).toString().startsWith("refused at 1: Refused to deserialize"), back.get(1).toString());
        assertEquals(3, back.get(2));
    }

    @Test
    void aCorruptLayoutIsAnIoException() {
        assertThrows(IOException.class, () -> ValueBatch.index(serialization, new byte[] {0, 0, 0, 9, 0, 0, 0, 0, 2}, 9,
                (p, why) -> null), "more entries than bytes");
        assertThrows(IOException.class, () -> ValueBatch.index(serialization, new byte[] {0, 0, 0, 1, 0, 0, 0, 0, 77}, 1,
                (p, why) -> null), "an unknown tag");
        assertThrows(IOException.class, () -> ValueBatch.index(serialization, new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 1}, 0,
                (p, why) -> null), "bytes after the last entry");
        assertThrows(IOException.class, () -> ValueBatch.index(serialization, new byte[] {0, 0, 0, 1, 0, 0, 0, 0,
                ValueBatch.OTHER}, 1, (p, why) -> null), "an entry of a stream that is not there");
        assertThrows(IOException.class, () -> ValueBatch.index(serialization, new byte[] {0, 0, 0, 1, 0, 0, 0, 0, 2, 0,
                0}, 1, (p, why) -> null), "an int cut short");
        assertThrows(IOException.class, () -> ValueBatch.index(serialization, new byte[] {0, 0, 0, 1, 0, 0, 0, 0, 1, 0,
                1, (byte) 0xFF}, 1, (p, why) -> null), "text that is not modified UTF-8: refused when indexed, not later");
    }

    @Test
    void plainValuesAreReadWhenAskedForAndEveryReadIsEqual() throws Exception {
        byte[] bytes = ValueBatch.write(serialization, Arrays.asList(1_000_000, "text", new ArrayList<>(List.of(1))),
                (p, why) -> null);

        ValueBatch.Indexed indexed = ValueBatch.index(serialization, bytes, 3, (p, why) -> null);

        assertTrue(indexed.isPlain(0) && indexed.isPlain(1) && !indexed.isPlain(2));
        assertEquals(indexed.get(0), indexed.get(0));
        assertEquals("text", indexed.get(1));
        assertTrue(indexed.get(2) == indexed.get(2), "a value of the Java stream is read once, when indexed");
    }

    @Test
    void aUrlIsParsedOnceWhenIndexedNotAtEachRead() throws Exception {
        java.net.URL url = new java.net.URL("https://example.org/a");
        byte[] bytes = ValueBatch.write(serialization, Arrays.asList(1, url, "x"), (p, why) -> null);

        ValueBatch.Indexed indexed = ValueBatch.index(serialization, bytes, 3, (p, why) -> null);

        assertFalse(indexed.isPlain(1), "its parsing may depend on the framework's stream handlers of the moment");
        assertEquals(url, indexed.get(1));
        assertTrue(indexed.get(1) == indexed.get(1));
        assertEquals(1, indexed.get(0));
        assertEquals("x", indexed.get(2));
    }

    /** A child answers a chunk: it cannot make this side allocate for more entries than the chunk's inputs. */
    @Test
    void anotherCountThanExpectedIsRefusedBeforeAnythingIsAllocated() {
        byte[] tenNulls = new byte[8 + 10];
        tenNulls[3] = 10;
        IOException e = assertThrows(IOException.class, () -> ValueBatch.index(serialization, tenNulls, 3,
                (p, why) -> null));
        assertTrue(e.getMessage().contains("10 entries where 3 were expected"), e.getMessage());
    }
}
