package dev.trampoline.examples.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The README's embedding example: it runs, and the README shows it as it is. */
class GreeterHostTest {

    private static final Path SOURCE =
            Path.of("src/main/java/dev/trampoline/examples/embedding/GreeterHost.java");

    @Test
    void greetsInThisJvmAndInAChildJvm() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = System.out;
        System.setOut(new PrintStream(new TeeStream(captured, out), true, StandardCharsets.UTF_8));
        try {
            GreeterHost.main(new String[] {System.getProperty("greeter.jar")});
        } finally {
            System.setOut(out);
        }

        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
        long self = ProcessHandle.current().pid();
        assertEquals(List.of("parent pid " + self + ": Hello, host!"), lines.subList(0, 1), "all output: " + lines);
        Matcher child = Pattern.compile("child pid (\\d+): Hello, host!").matcher(lines.get(1));
        assertTrue(child.matches(), lines.get(1));
        assertNotEquals(self, Long.parseLong(child.group(1)), "computed in another JVM");
        assertEquals(2, lines.size(), "all output: " + lines);
    }

    @Test
    void theReadmeShowsTheProgramAsItIsAndTheCoordinatesOfThisVersion() throws Exception {
        String readme = Files.readString(Path.of(System.getProperty("readme")));
        String marker = "<!-- examples/embedding/" + SOURCE.toString().replace('\\', '/') + " -->";
        int at = readme.indexOf(marker);
        assertTrue(at >= 0, "the README names the file it shows: " + marker);
        int start = readme.indexOf("```java\n", at) + "```java\n".length();
        int end = readme.indexOf("```\n", start);
        assertEquals(Files.readString(SOURCE), readme.substring(start, end),
                "the README's code block after " + marker + " is the file, verbatim");
        assertTrue(readme.contains("<version>" + System.getProperty("project.version") + "</version>"),
                "the README's Maven coordinates name this version");
    }

    /** Writes to both streams: the test reads what the program printed, the build log still shows it. */
    private static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream a;
        private final java.io.OutputStream b;

        TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int x) throws java.io.IOException {
            a.write(x);
            b.write(x);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
