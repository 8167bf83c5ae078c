package dev.trampoline.runtime.remote.internal.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Vector;

import org.junit.jupiter.api.Test;

class ConfigurationCodecTest {

    private static List<ConfigurationCopy> roundTrip(List<ConfigurationCopy> in) throws IOException {
        return ConfigurationCodec.decode(ConfigurationCodec.encode(in, (pid, key) -> {
            throw new AssertionError("skipped " + pid + " " + key);
        }));
    }

    @Test
    void everyConfigurationAdminTypeKeepsItsType() throws IOException {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("s", "text ü");
        props.put("i", 1);
        props.put("l", 2L);
        props.put("f", 3.5f);
        props.put("d", 4.25);
        props.put("b", (byte) 5);
        props.put("sh", (short) 6);
        props.put("c", 'x');
        props.put("z", true);
        props.put("strings", new String[] {"a", null, "c"});
        props.put("ints", new int[] {1, 2});
        props.put("booleans", new boolean[] {true, false});
        props.put("boxed", new Long[] {7L, null});
        props.put("list", new Vector<>(List.of("x", "y")));
        ConfigurationCopy c = new ConfigurationCopy("p", null, null, props);

        Map<String, Object> back = roundTrip(List.of(c)).get(0).properties();

        assertEquals(List.copyOf(props.keySet()), List.copyOf(back.keySet()));
        for (String k : List.of("s", "i", "l", "f", "d", "b", "sh", "c", "z")) {
            assertEquals(props.get(k), back.get(k), k);
            assertEquals(props.get(k).getClass(), back.get(k).getClass(), k);
        }
        assertArrayEquals((String[]) props.get("strings"), (String[]) back.get("strings"));
        assertArrayEquals((int[]) props.get("ints"), (int[]) back.get("ints"));
        assertArrayEquals((boolean[]) props.get("booleans"), (boolean[]) back.get("booleans"));
        assertArrayEquals((Long[]) props.get("boxed"), (Long[]) back.get("boxed"));
        assertEquals(List.of("x", "y"), back.get("list"));
    }

    @Test
    void noConfigurationsIsTold() {
        assertTrue(ConfigurationCodec.isEmpty(ConfigurationCodec.encode(List.of(), (p, k) -> { })));
        assertFalse(ConfigurationCodec.isEmpty(ConfigurationCodec.encode(
                List.of(new ConfigurationCopy("p", null, null, Map.of())), (p, k) -> { })));
    }

    @Test
    void pidsFactoriesAndLocationsSurvive() throws IOException {
        List<ConfigurationCopy> back = roundTrip(List.of(
                new ConfigurationCopy("a", null, "file:/a.jar", Map.of()),
                new ConfigurationCopy("f~one", "f", "?", Map.of("k", "v")),
                new ConfigurationCopy("f.1234", "f", null, Map.of())));
        assertEquals(3, back.size());
        assertEquals("file:/a.jar", back.get(0).location());
        assertNull(back.get(0).factoryPid());
        assertEquals("one", back.get(1).factoryName());
        assertEquals("?", back.get(1).location());
        assertNull(back.get(2).factoryName(), "a generated pid has no name");
        assertNull(back.get(2).location());
    }

    @Test
    void aValueOfAnotherTypeIsLeftOutAndReported() throws IOException {
        List<String> skipped = new ArrayList<>();
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("kept", "v");
        props.put("big", new java.math.BigInteger("1"));
        props.put("objects", new Object[] {"x"});
        byte[] encoded = ConfigurationCodec.encode(List.of(new ConfigurationCopy("p", null, null, props)),
                (pid, key) -> skipped.add(pid + "/" + key));
        assertEquals(List.of("p/big", "p/objects"), skipped);
        assertEquals(Map.of("kept", "v"), ConfigurationCodec.decode(encoded).get(0).properties());
    }

    @Test
    void corruptOrTruncatedInputIsRefusedWithoutHugeAllocations() {
        byte[] good = ConfigurationCodec.encode(List.of(new ConfigurationCopy("p", null, null, Map.of("k", "v"))),
                (p, k) -> { });
        for (int cut = 0; cut < good.length; cut++) {
            byte[] truncated = Arrays.copyOf(good, cut);
            assertThrows(IOException.class, () -> ConfigurationCodec.decode(truncated), "cut at " + cut);
        }
        byte[] hugeCount = good.clone();
        hugeCount[4] = 0x7f; // the configuration count
        IOException e = assertThrows(IOException.class, () -> ConfigurationCodec.decode(hugeCount));
        assertTrue(e.getMessage().contains("count"), e.getMessage());
    }
}
