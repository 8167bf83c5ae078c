package dev.trampoline.runtime.contract.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

class ChildArgumentsTest {

    private static String[] array(List<String> args) {
        return args.toArray(String[]::new);
    }

    @Test
    void aChildsArgumentsReadBackAsWritten() {
        ChildArguments child = new ChildArguments(Path.of("/tmp/a b/s\u00e9.properties"), Path.of("/tmp/c"), "42",
                true);

        assertEquals(List.of("--snapshot", "/tmp/a b/s\u00e9.properties", "--storage", "/tmp/c", "--parent", "42",
                "--runtime-only", "true"), child.toList());
        assertEquals(child, ChildArguments.parse(array(child.toList())));
    }

    @Test
    void theParentAndRuntimeOnlyMayBeLeftOut() {
        ChildArguments child = ChildArguments.parse(new String[] {"--storage", "s", "--snapshot", "f"});

        assertEquals(new ChildArguments(Path.of("f"), Path.of("s"), null, false), child);
        assertEquals(List.of("--snapshot", "f", "--storage", "s"), child.toList());
    }

    @Test
    void aMissingSnapshotOrStorageIsNamed() {
        var noSnapshot = assertThrows(IllegalArgumentException.class,
                () -> ChildArguments.parse(new String[] {"--storage", "s"}));
        assertTrue(noSnapshot.getMessage().startsWith("missing --snapshot"), noSnapshot.getMessage());
        var noStorage = assertThrows(IllegalArgumentException.class,
                () -> ChildArguments.parse(new String[] {"--snapshot", "f"}));
        assertTrue(noStorage.getMessage().startsWith("missing --storage"), noStorage.getMessage());
    }

    @Test
    void aFlagWithoutItsValueOrAnUnknownOneIsNamed() {
        var noValue = assertThrows(IllegalArgumentException.class,
                () -> ChildArguments.parse(new String[] {"--snapshot", "f", "--storage"}));
        assertEquals("--storage needs a value", noValue.getMessage());
        var unknown = assertThrows(IllegalArgumentException.class,
                () -> ChildArguments.parse(new String[] {"--snapshot", "f", "--storage", "s", "--colour", "red"}));
        assertTrue(unknown.getMessage().startsWith("unknown argument '--colour'"), unknown.getMessage());
    }

    @Test
    void aSparesArgumentsReadBackAsWritten() {
        ChildArguments.Spare spare = new ChildArguments.Spare(Path.of("/tmp/c"),
                Path.of("/store/snapshots/h.properties"));

        String[] args = array(spare.toList());

        assertEquals(List.of("--spare", "--storage", "/tmp/c", "--warm-snapshot", "/store/snapshots/h.properties"),
                spare.toList());
        assertTrue(ChildArguments.Spare.isSpare(args));
        assertEquals(spare, ChildArguments.Spare.parse(args));
    }

    @Test
    void aSpareMayHaveNothingToPrepare() {
        ChildArguments.Spare spare = ChildArguments.Spare.parse(new String[] {"--spare"});

        assertNull(spare.storage());
        assertNull(spare.warmSnapshot());
        assertEquals(List.of("--spare"), spare.toList());
    }

    @Test
    void aChildsArgumentsAreNotASpares() {
        String[] child = array(new ChildArguments(Path.of("f"), Path.of("s"), "1", false).toList());

        assertFalse(ChildArguments.Spare.isSpare(child));
        assertFalse(ChildArguments.Spare.isSpare(new String[0]));
        var e = assertThrows(IllegalArgumentException.class, () -> ChildArguments.Spare.parse(child));
        assertEquals("a spare's arguments start with --spare", e.getMessage());
        var unknown = assertThrows(IllegalArgumentException.class,
                () -> ChildArguments.Spare.parse(new String[] {"--spare", "--snapshot", "f"}));
        assertTrue(unknown.getMessage().startsWith("unknown argument '--snapshot'"), unknown.getMessage());
    }
}
