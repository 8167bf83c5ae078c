package dev.trampoline.runtime.internal.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringReader;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.junit.jupiter.api.Test;

class CfgFileEditTest {

    private static Properties load(String text) throws Exception {
        Properties p = new Properties();
        p.load(new StringReader(text));
        return p;
    }

    @Test
    void changedKeyIsRewrittenInPlaceEverythingElseKeptByteForByte() {
        String before = "# The app's settings\n"
                + "\n"
                + "url = http://localhost\n"
                + "! old-style comment\n"
                + "count:1\n"
                + "   name   Ann\n";
        String after = CfgFileEdit.edit(before, Map.of("count", "2", "name", "Bob", "url", "http://example.com"),
                Set.of());
        assertEquals("# The app's settings\n"
                + "\n"
                + "url = http://example.com\n"
                + "! old-style comment\n"
                + "count:2\n"
                + "   name   Bob\n", after);
    }

    @Test
    void newKeysAreAppendedWithTheFileSeparatorAndRemovedKeysLinesGo() throws Exception {
        String before = "# settings\na=1\n# about b\nb=2\nc=3";
        String after = CfgFileEdit.edit(before, Map.of("d", "4"), Set.of("b", "c"));
        assertEquals("# settings\na=1\n# about b\nd=4\n", after);
        assertEquals(load("a=1\nd=4\n"), load(after));
    }

    @Test
    void continuationLinesAreOneEntryAndAreReplacedOrRemovedWhole() throws Exception {
        String before = "list = one, \\\n       two, \\\n       three\nnext = x\n";
        String changed = CfgFileEdit.edit(before, Map.of("list", "four"), Set.of());
        assertEquals("list = four\nnext = x\n", changed);
        String removed = CfgFileEdit.edit(before, Map.of(), Set.of("list"));
        assertEquals("next = x\n", removed);
    }

    @Test
    void escapesRoundTripThroughPropertiesLoad() throws Exception {
        String tricky = " leading space, back\\slash, tab\t, newline\n, = : # !, Grüß Gott, \u0001";
        String key = "a key=with:odd#chars!";
        String after = CfgFileEdit.edit("# c\n", Map.of(key, tricky), Set.of());
        assertEquals(tricky, load(after).getProperty(key));
        assertEquals(1, load(after).size());
        assertEquals("# c\n", after.substring(0, 4));
        String changedAgain = CfgFileEdit.edit(after, Map.of(key, "plain"), Set.of());
        assertEquals("# c\n" + CfgFileEdit.escape(key, true) + " = plain\n", changedAgain);
    }

    @Test
    void escapedKeysInTheFileAreMatchedAsJavaReadsThem() throws Exception {
        String before = "my\\ key = 1\nother\\=key=2\n\\u0041BC=3\n";
        String after = CfgFileEdit.edit(before, Map.of("my key", "10", "ABC", "30"), Set.of("other=key"));
        assertEquals("my\\ key = 10\n\\u0041BC=30\n", after);
    }

    @Test
    void lastDefinitionOfADuplicateKeyIsTheOneChanged() throws Exception {
        String after = CfgFileEdit.edit("k=1\nk=2\n", Map.of("k", "3"), Set.of());
        assertEquals("k=1\nk=3\n", after);
        assertEquals("3", load(after).getProperty("k"));
        assertEquals("", CfgFileEdit.edit("k=1\nk=2\n", Map.of(), Set.of("k")));
    }

    @Test
    void windowsLineEndingsAndAMissingLastLineBreakAreKept() {
        assertEquals("# c\r\na=2\r\nb=x\r\n", CfgFileEdit.edit("# c\r\na=1\r\n", Map.of("a", "2", "b", "x"),
                Set.of()));
        assertEquals("a=1\nb=2\n", CfgFileEdit.edit("a=1", Map.of("b", "2"), Set.of()));
        assertEquals("a=5", CfgFileEdit.edit("a=1", Map.of("a", "5"), Set.of()));
    }

    @Test
    void aKeyWithoutValueGetsASeparator() throws Exception {
        String after = CfgFileEdit.edit("flag\nb=1\n", Map.of("flag", "on"), Set.of());
        assertEquals("flag=on\nb=1\n", after);
        assertEquals("on", load(after).getProperty("flag"));
    }

    @Test
    void emptyFileGetsTheNewKey() {
        assertEquals("a = 1\n", CfgFileEdit.edit("", Map.of("a", "1"), Set.of()));
    }
}
