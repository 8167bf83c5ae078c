package dev.trampoline.runtime.internal.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Vector;

import org.junit.jupiter.api.Test;

class TypedValuesTest {

    @Test
    void aNewOrTextPropertyTakesTheTextAsItIs() {
        assertEquals(" as typed ", TypedValues.parse("k", " as typed ", null));
        assertEquals("42", TypedValues.parse("k", "42", "old text"));
    }

    @Test
    void scalarsKeepTheirType() {
        assertEquals(42L, TypedValues.parse("k", " 42 ", 1L));
        assertEquals(Boolean.FALSE, TypedValues.parse("k", "FALSE", Boolean.TRUE));
        assertEquals(2.5d, TypedValues.parse("k", "2.5", 1d));
        assertEquals('x', TypedValues.parse("k", "x", 'a'));
        assertEquals((short) 7, TypedValues.parse("k", "7", (short) 1));
    }

    @Test
    void arraysAndListsTakeCommaSeparatedElementsOfTheirElementType() {
        assertArrayEquals(new long[] {1, 2}, (long[]) TypedValues.parse("k", "1, 2", new long[0]));
        assertArrayEquals(new Boolean[] {true, false}, (Boolean[]) TypedValues.parse("k", "true,false",
                new Boolean[] {false}));
        assertArrayEquals(new String[0], (String[]) TypedValues.parse("k", "", new String[] {"a"}));
        assertEquals(List.of(3, 4), TypedValues.parse("k", "3,4", new Vector<>(List.of(1))));
    }

    @Test
    void textNotOfTheTypeIsRefusedNamingTheType() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TypedValues.parse("flags", "yes", new boolean[] {true}));
        assertEquals("Cannot set flags: 'yes' is not a valid boolean[], the type flags has; give a valid boolean[]"
                + " (elements separated by commas), or config:unset the key first to set it as text", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TypedValues.parse("c", "xy", 'a'));
        assertThrows(IllegalArgumentException.class, () -> TypedValues.parse("n", "99999999999", 1));
    }
}
