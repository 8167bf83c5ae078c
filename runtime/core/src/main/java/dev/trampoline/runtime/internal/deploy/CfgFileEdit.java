package dev.trampoline.runtime.internal.deploy;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Edits the text of a {@code .cfg} file (Java properties) as a person would: the line of a changed key is
 * rewritten in place (its key and separator as they were), the lines of removed keys go, new keys are appended
 * at the end, and every other line (comments, blank lines, order, line endings) is kept byte for byte. Keys
 * are compared as {@link Properties#load} reads them, so escapes and continuation lines count as Java does.
 */
final class CfgFileEdit {

    private CfgFileEdit() {
    }

    /** One logical line: its physical lines, unchanged, and the key it defines (null for comments and blanks). */
    private record Entry(List<String> lines, String key) {
        String text() {
            return String.join("", lines);
        }
    }

    /**
     * The text with each key of {@code set} given its value (the last definition of a key, the one
     * {@code Properties} keeps, is the one rewritten) and each key of {@code remove} gone (every definition).
     */
    static String edit(String text, Map<String, String> set, Set<String> remove) {
        List<Entry> entries = parse(text);
        String eol = lineEnding(text);
        Map<String, Integer> lastDefinition = new HashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).key() != null) {
                lastDefinition.put(entries.get(i).key(), i);
            }
        }
        String separator = entries.stream().filter(e -> e.key() != null).map(e -> separatorOf(e.lines().get(0)))
                .filter(s -> s != null).findFirst().orElse(" = ");
        StringBuilder out = new StringBuilder(text.length() + 64);
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            if (e.key() != null && remove.contains(e.key())) {
                continue;
            }
            if (e.key() != null && set.containsKey(e.key()) && lastDefinition.get(e.key()) == i) {
                out.append(rewritten(e, set.get(e.key()), separator));
            } else {
                out.append(e.text());
            }
        }
        Map<String, String> added = new LinkedHashMap<>(set);
        added.keySet().removeAll(lastDefinition.keySet());
        if (!added.isEmpty() && out.length() > 0 && !endsWithLineBreak(out)) {
            out.append(eol);
        }
        added.forEach((k, v) -> out.append(escape(k, true)).append(separator).append(escape(v, false)).append(eol));
        return out.toString();
    }

    private static List<Entry> parse(String text) {
        List<String> physical = physicalLines(text);
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < physical.size(); i++) {
            String first = physical.get(i);
            String content = withoutLineBreak(first).stripLeading();
            if (content.isEmpty() || content.charAt(0) == '#' || content.charAt(0) == '!') {
                entries.add(new Entry(List.of(first), null));
                continue;
            }
            List<String> lines = new ArrayList<>(List.of(first));
            while (continues(withoutLineBreak(lines.get(lines.size() - 1))) && i + 1 < physical.size()) {
                lines.add(physical.get(++i));
            }
            entries.add(new Entry(lines, keyOf(String.join("", lines))));
        }
        return entries;
    }

    /** The lines of {@code text}, each with its line break (none for a last line without one). */
    private static List<String> physicalLines(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                lines.add(text.substring(start, i + 1));
                start = i + 1;
            }
        }
        if (start < text.length()) {
            lines.add(text.substring(start));
        }
        return lines;
    }

    private static String keyOf(String logicalLine) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(logicalLine));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringReader does not fail
        } catch (IllegalArgumentException malformedUnicodeEscape) {
            return null; // the deployer could not read this file either; the line is kept as it is
        }
        return p.isEmpty() ? null : p.stringPropertyNames().iterator().next();
    }

    /** An odd number of backslashes at the end of a line continues it on the next. */
    private static boolean continues(String content) {
        int n = 0;
        for (int i = content.length() - 1; i >= 0 && content.charAt(i) == '\\'; i--) {
            n++;
        }
        return n % 2 == 1;
    }

    /** Where the value starts in a key's first line: after the key and its separator, as Properties reads it. */
    private static int valueStart(String content) {
        int i = 0;
        while (i < content.length() && isWhitespace(content.charAt(i))) {
            i++;
        }
        while (i < content.length()) {
            char c = content.charAt(i);
            if (c == '\\') {
                i += 2;
                continue;
            }
            if (c == '=' || c == ':' || isWhitespace(c)) {
                break;
            }
            i++;
        }
        if (i >= content.length()) {
            return -1; // a key alone, or one continued on the next line
        }
        while (i < content.length() && isWhitespace(content.charAt(i))) {
            i++;
        }
        if (i < content.length() && (content.charAt(i) == '=' || content.charAt(i) == ':')) {
            i++;
            while (i < content.length() && isWhitespace(content.charAt(i))) {
                i++;
            }
        }
        return i;
    }

    /**
     * The text between a key and its value in a key's first line, so appended keys look like the file's; null
     * for a key without one.
     */
    private static String separatorOf(String firstLine) {
        String content = withoutLineBreak(firstLine);
        int value = valueStart(content);
        if (value < 0) {
            return null;
        }
        int keyEnd = value;
        while (keyEnd > 0 && (isWhitespace(content.charAt(keyEnd - 1)) || content.charAt(keyEnd - 1) == '='
                || content.charAt(keyEnd - 1) == ':') && !escaped(content, keyEnd - 1)) {
            keyEnd--;
        }
        String separator = content.substring(keyEnd, value);
        return separator.isEmpty() ? null : separator;
    }

    private static boolean escaped(String s, int index) {
        int n = 0;
        for (int i = index - 1; i >= 0 && s.charAt(i) == '\\'; i--) {
            n++;
        }
        return n % 2 == 1;
    }

    private static String rewritten(Entry e, String value, String separator) {
        String first = withoutLineBreak(e.lines().get(0));
        String last = e.lines().get(e.lines().size() - 1);
        String lineBreak = last.substring(withoutLineBreak(last).length());
        int start = valueStart(first);
        String prefix;
        if (start < 0) {
            prefix = escape(e.key(), true) + separator;
        } else {
            prefix = first.substring(0, start);
            if (start == first.length() && !endsWithSeparator(prefix)) {
                prefix += separator.isBlank() ? " = " : separator; // "key" alone: it needs one now
            }
        }
        return prefix + escape(value, false) + (lineBreak.isEmpty() ? "" : lineBreak);
    }

    private static boolean endsWithSeparator(String prefix) {
        char c = prefix.isEmpty() ? 'x' : prefix.charAt(prefix.length() - 1);
        return (c == '=' || c == ':' || isWhitespace(c)) && !escaped(prefix, prefix.length() - 1);
    }

    /**
     * Escapes as {@link Properties#store} does, except that non-ASCII characters stay as they are (the file is
     * UTF-8) and {@code = : # !} inside a value stay readable (they need no escape there).
     */
    static String escape(String s, boolean isKey) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\f' -> out.append("\\f");
                case ' ' -> out.append(i == 0 || isKey ? "\\ " : " ");
                case '=', ':', '#', '!' -> out.append(isKey ? "\\" + c : String.valueOf(c));
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    private static String withoutLineBreak(String line) {
        int end = line.length();
        while (end > 0 && (line.charAt(end - 1) == '\n' || line.charAt(end - 1) == '\r')) {
            end--;
        }
        return line.substring(0, end);
    }

    private static String lineEnding(String text) {
        int i = text.indexOf('\n');
        int r = text.indexOf('\r');
        if (r >= 0 && (i < 0 || r < i)) {
            return i == r + 1 ? "\r\n" : "\r";
        }
        return "\n";
    }

    private static boolean endsWithLineBreak(CharSequence s) {
        char c = s.charAt(s.length() - 1);
        return c == '\n' || c == '\r';
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\f';
    }
}
