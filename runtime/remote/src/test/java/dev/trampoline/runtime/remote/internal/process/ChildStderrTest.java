package dev.trampoline.runtime.remote.internal.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** What a child writing without end to its stderr costs the parent's log and memory. */
class ChildStderrTest {

    private record Line(String level, String text) {
    }

    /** {@code count} lines of {@code line}, made as they are read: 100 MiB without holding 100 MiB. */
    private static InputStream repeated(String line, long count) {
        byte[] one = (line + "\n").getBytes(StandardCharsets.UTF_8);
        long total = one.length * count;
        return new InputStream() {
            long position;

            @Override
            public int read() {
                return position < total ? one[(int) (position++ % one.length)] : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                int n = 0;
                while (n < len && position < total) {
                    b[off + n++] = one[(int) (position++ % one.length)];
                }
                return n == 0 ? -1 : n;
            }
        };
    }

    private static List<Line> read(InputStream in, AtomicLong clock) {
        List<Line> lines = new ArrayList<>();
        new ChildStderr(in, (level, text) -> lines.add(new Line(level, text)), clock::get).run();
        return lines;
    }

    @Test
    void floodOfLinesIsLoggedWithinTheAllowanceAndSummarised() {
        AtomicLong clock = new AtomicLong(); // a flood written in no time at all
        List<Line> lines = read(repeated("flood line of a misbehaving plugin", 3_000_000), clock); // ~100 MiB

        long logged = lines.stream().mapToLong(l -> l.text().length() + 64).sum();
        assertTrue(logged <= ChildStderr.LOG_BURST_BYTES + 4096, "logged " + logged + " bytes");
        Line summary = lines.get(lines.size() - 1);
        assertEquals("WARN", summary.level());
        assertTrue(summary.text().matches("\\d+ line\\(s\\) \\(\\d+ bytes\\) of its output were not logged.*"),
                summary.text());
    }

    @Test
    void allowanceRefillsWithTimeAndSummariesComeAtMostOnceASecond() {
        AtomicLong clock = new AtomicLong();
        List<Line> lines = new ArrayList<>();
        InputStream slowFlood = new InputStream() {
            final InputStream lines = repeated("x".repeat(100), 200_000);

            @Override
            public int read() throws IOException {
                clock.addAndGet(50_000); // 50 µs a byte: ~20 KiB a second, ~1 MiB a minute
                return lines.read();
            }
        };
        new ChildStderr(slowFlood, (level, text) -> lines.add(new Line(level, text)), clock::get).run();

        long seconds = clock.get() / 1_000_000_000L;
        long summaries = lines.stream().filter(l -> l.text().contains("were not logged")).count();
        assertTrue(summaries <= seconds + 1, summaries + " summaries in " + seconds + " s");
        assertTrue(lines.size() > 200_000 / 10, "a slow writer is mostly logged: " + lines.size());
    }

    @Test
    void longLineIsCutSayingHowMuch() {
        AtomicLong clock = new AtomicLong();
        List<Line> lines = read(repeated("y".repeat(10 * 1024 * 1024), 1), clock);
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).text().endsWith("[... " + (10 * 1024 * 1024 - ChildStderr.MAX_LINE)
                + " more bytes of this line cut]"), lines.get(0).text().substring(ChildStderr.MAX_LINE));
    }

    @Test
    void levelsAndTailAreKept() {
        String text = "2026-12-02 10:00:00.000 ERROR [plugin] broke\n\tat a.B.c(B.java:1)\nplain\r\nlast";
        List<Line> lines = new ArrayList<>();
        ChildStderr stderr = new ChildStderr(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
                (level, t) -> lines.add(new Line(level, t)), System::nanoTime);
        stderr.run();
        assertEquals(List.of(new Line("ERROR", "[plugin] broke"), new Line("ERROR", "\tat a.B.c(B.java:1)"),
                new Line("INFO", "plain"), new Line("INFO", "last")), lines);
        assertTrue(stderr.tail().endsWith("plain\nlast"), stderr.tail());
    }

    @Test
    void tailKeepsTheLastLinesOnly() {
        ChildStderr stderr = new ChildStderr(repeated("z".repeat(20_000), 1000), (level, t) -> { }, System::nanoTime);
        stderr.run();
        String[] kept = stderr.tail().split("\n");
        assertEquals(ChildStderr.KEPT_LINES, kept.length);
        assertTrue(kept[0].length() < ChildStderr.MAX_LINE + 100);
    }

    @Test
    void anEntrysStackTraceLinesAreMarkedAsContinuingIt() {
        String text = "2026-01-02 03:04:05.678 ERROR [com.acme|com.acme.Jobs] boom\n"
                + "java.lang.IllegalStateException: boom\n"
                + "\tat com.acme.Jobs.run(Jobs.java:1)\n"
                + "plain output\n";
        List<String> seen = new ArrayList<>();
        ChildStderr.Sink sink = new ChildStderr.Sink() {
            @Override
            public void line(String level, String t) {
                seen.add(level + " " + t);
            }

            @Override
            public void continued(String level, String t) {
                seen.add(level + " ... " + t);
            }
        };
        new ChildStderr(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), sink, System::nanoTime).run();
        assertEquals(List.of("ERROR [com.acme|com.acme.Jobs] boom", "ERROR ... java.lang.IllegalStateException: boom",
                "ERROR ... \tat com.acme.Jobs.run(Jobs.java:1)", "INFO plain output"), seen);
    }
}
