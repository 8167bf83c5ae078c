package dev.trampoline.runtime.remote.internal.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Lines of UTF-8 text from a stream, each at most {@code max} bytes: the rest of a longer line is read and
 * dropped, and the line says how many bytes were cut. Memory stays at one buffer of {@code max} bytes and one
 * of 8 KiB however the stream is written, where {@code BufferedReader.readLine} would hold a whole line.
 */
final class BoundedLines {

    private final InputStream in;
    private final byte[] line;
    private final byte[] buffer = new byte[8192];
    private int position;
    private int limit;

    BoundedLines(InputStream in, int max) {
        this.in = in;
        this.line = new byte[max];
    }

    /** The next line without its line end ({@code \n} or {@code \r\n}), or null at the end of the stream. */
    String next() throws IOException {
        int length = 0;
        long cut = 0;
        while (true) {
            if (position == limit) {
                limit = in.read(buffer);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    return length == 0 && cut == 0 ? null : text(length, cut);
                }
            }
            byte b = buffer[position++];
            if (b == '\n') {
                return text(length, cut);
            }
            if (length < line.length) {
                line[length++] = b;
            } else {
                cut++;
            }
        }
    }

    private String text(int length, long cut) {
        int end = length > 0 && line[length - 1] == '\r' && cut == 0 ? length - 1 : length;
        String text = new String(line, 0, end, StandardCharsets.UTF_8);
        return cut == 0 ? text : cut(text, cut);
    }

    /** A line whose last {@code cut} bytes (or characters) were left out, saying so. */
    static String cut(String kept, long cut) {
        return kept + " [... " + cut + " more bytes of this line cut]";
    }
}
