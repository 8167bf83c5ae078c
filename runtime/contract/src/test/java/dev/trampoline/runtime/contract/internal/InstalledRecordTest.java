package dev.trampoline.runtime.contract.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class InstalledRecordTest {

    @Test
    void readsBackAsWritten() {
        List<InstalledRecord.Item> items = List.of(new InstalledRecord.Item(1, "aa", 1700000000000L),
                new InstalledRecord.Item(12, "bb", 5));

        String record = InstalledRecord.format(items);

        assertEquals("1=aa@1700000000000,12=bb@5", record);
        assertEquals(items, InstalledRecord.parse(record));
    }

    @Test
    void noRecordHasNoItems() {
        assertEquals("", InstalledRecord.format(List.of()));
        assertTrue(InstalledRecord.parse("").isEmpty());
        assertTrue(InstalledRecord.parse(null).isEmpty());
    }

    @Test
    void aMalformedItemIsNamed() {
        for (String bad : List.of("1=aa", "aa@5", "x=aa@5", "1=aa@y", "=aa@5")) {
            var e = assertThrows(IllegalArgumentException.class, () -> InstalledRecord.parse("1=ok@1," + bad));
            assertTrue(e.getMessage().startsWith("installed record item '" + bad + "' is not id=sha256@lastModified"),
                    e.getMessage());
        }
    }
}
