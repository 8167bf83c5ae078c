package dev.trampoline.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child runs plugin code, which may lie on the channel or flood its output: the parent (a real launcher
 * process with a 256 MiB heap, so that a frame read at its word, 512 MiB or 2 GiB, could not fit) trusts none
 * of it. Each misbehaving call fails naming what the child did, and the next call, in another child, answers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class HostileChildTest {

    private static final String API = "package hostile;\n"
            + "public interface Hostile {\n"
            + "  String echo(String text);\n"
            + "  String lyingHeader(int length, int sent);\n"
            + "  String answerToNoCall();\n"
            + "  String frameOfKind(byte kind);\n"
            + "  String floodLines(int mib);\n"
            + "  String floodOneLine(int mib);\n"
            + "  String outOfMemory();\n"
            + "}\n";

    /** Writes to the child's real stdout, the channel, past the runtime's guard on {@code System.out}. */
    private static final String IMPL = "package hostile.impl;\n"
            + "import java.io.*;\n"
            + "public final class HostileService implements hostile.Hostile {\n"
            + "  public String echo(String text) { return text; }\n"
            + "  public String lyingHeader(int length, int sent) {\n"
            + "    try {\n"
            + "      DataOutputStream out = new DataOutputStream(new BufferedOutputStream(\n"
            + "          new FileOutputStream(FileDescriptor.out), 65536));\n"
            + "      out.writeInt(0x54524D50); out.writeInt(9 + length); out.writeLong(1); out.writeByte(2);\n"
            + "      byte[] zeros = new byte[65536];\n"
            + "      for (int done = 0; done < sent; done += zeros.length) {\n"
            + "        out.write(zeros, 0, Math.min(zeros.length, sent - done));\n"
            + "      }\n"
            + "      out.flush();\n"
            + "      Thread.sleep(Long.MAX_VALUE);\n"
            + "    } catch (IOException | InterruptedException e) { }\n"
            + "    return \"not reached\";\n"
            + "  }\n"
            + "  public String answerToNoCall() {\n"
            + "    try {\n"
            + "      DataOutputStream out = new DataOutputStream(new FileOutputStream(FileDescriptor.out));\n"
            + "      out.writeInt(0x54524D50); out.writeInt(13); out.writeLong(987654321L); out.writeByte(2);\n"
            + "      out.writeInt(0); out.flush();\n"
            + "    } catch (IOException e) { }\n"
            + "    return \"sent\";\n"
            + "  }\n"
            + "  public String frameOfKind(byte kind) {\n"
            + "    try {\n"
            + "      DataOutputStream out = new DataOutputStream(new FileOutputStream(FileDescriptor.out));\n"
            + "      out.writeInt(0x54524D50); out.writeInt(13); out.writeLong(0); out.writeByte(kind);\n"
            + "      out.writeInt(0); out.flush();\n"
            + "    } catch (IOException e) { }\n"
            + "    return \"sent\";\n"
            + "  }\n"
            + "  public String floodLines(int mib) {\n"
            + "    PrintStream err = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.err),"
            + " 65536));\n"
            + "    long bytes = (long) mib << 20;\n"
            + "    for (long i = 0, n = 0; n < bytes; i++) { String l = \"flood line \" + i; err.println(l);"
            + " n += l.length() + 1; }\n"
            + "    err.flush();\n"
            + "    return \"flooded\";\n"
            + "  }\n"
            + "  public String floodOneLine(int mib) {\n"
            + "    PrintStream err = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.err),"
            + " 65536));\n"
            + "    byte[] x = new byte[1 << 20]; java.util.Arrays.fill(x, (byte) 'x');\n"
            + "    err.print(\"one long line \");\n"
            + "    for (int i = 0; i < mib; i++) { err.write(x, 0, x.length); }\n"
            + "    err.println(); err.flush();\n"
            + "    return \"one line\";\n"
            + "  }\n"
            + "  public String outOfMemory() {\n"
            + "    java.util.List<long[]> hog = new java.util.ArrayList<>();\n"
            + "    while (true) { hog.add(new long[1 << 17]); }\n"
            + "  }\n"
            + "}\n";

    private static final String ACTIVATOR = "package hostile.impl;\n"
            + "public final class Activator implements org.osgi.framework.BundleActivator {\n"
            + "  public void start(org.osgi.framework.BundleContext c) {\n"
            + "    c.registerService(hostile.Hostile.class, new HostileService(), null);\n"
            + "  }\n"
            + "  public void stop(org.osgi.framework.BundleContext c) { }\n"
            + "}\n";

    private static final Pattern CHILD_PID = Pattern.compile("computed by child pid (\\d+)");

    private Path work;
    private LauncherProcess runtime;
    private int marks;

    @BeforeAll
    void start(@TempDir Path work) throws Exception {
        this.work = work;
        deployHostile(work);
        runtime = LauncherProcess.start(work, List.of("-Xmx256m"), "-Dtrampoline.child.jvmOptions=-Xmx64m");
        answers("first");
    }

    private static void deployHostile(Path work) throws IOException {
        Path deploy = Files.createDirectories(work.resolve("deploy"));
        TestBundle.named("test.hostile", "1.0.0").importing("org.osgi.framework")
                .header("Export-Package", "hostile;version=1.0.0").header("Bundle-Activator", "hostile.impl.Activator")
                .source("hostile.Hostile", API).source("hostile.impl.HostileService", IMPL)
                .source("hostile.impl.Activator", ACTIVATOR).writeTo(deploy.resolve("hostile.jar"));
    }

    @AfterAll
    void stop() {
        if (runtime != null) {
            runtime.close();
        }
    }

    /** Runs a call of the hostile service, then an echo; returns what the shell printed for the first. */
    private String call(String methodAndArguments) throws IOException {
        String mark = "mark-" + ++marks;
        runtime.type("tramp:call hostile.Hostile " + methodAndArguments + "\n");
        runtime.type("tramp:call hostile.Hostile echo " + mark + "\n");
        Eventually.until("the call after '" + methodAndArguments + "' answered", Duration.ofSeconds(120),
                () -> runtime.out().contains(mark + System.lineSeparator()), runtime::describe);
        return runtime.describe();
    }

    /** Calls echo and returns the pid of the child that answered. */
    private long answers(String text) throws IOException {
        runtime.type("tramp:call hostile.Hostile echo " + text + "\n");
        Eventually.until("echo " + text + " answered", Duration.ofSeconds(60),
                () -> runtime.out().contains(text + System.lineSeparator() + "(computed by child pid"),
                runtime::describe);
        Matcher m = Pattern.compile(Pattern.quote(text) + "\\R\\(computed by child pid (\\d+)\\)")
                .matcher(runtime.out());
        assertTrue(m.find(), runtime.describe());
        return Long.parseLong(m.group(1));
    }

    @Test
    void frameHeaderClaimingTwoGibibytesFailsThatChildAtOnce() throws Exception {
        String out = call("lyingHeader 2147483000 0");
        assertTrue(out.contains("a frame of 2147483000 bytes is announced, more than the 268435456 a frame may carry"
                + " (trampoline.remote.maxFrameBytes)"), out);
        answers("after-2g");
    }

    @Test
    void frameHeaderClaimingHalfAGibibyteFailsThatChildAtOnce() throws Exception {
        String out = call("lyingHeader 536870912 0");
        assertTrue(out.contains("a frame of 536870912 bytes is announced"), out);
        answers("after-512m");
    }

    @Test
    void framesSentInFullCannotTakeMoreThanHalfTheParentsHeap() throws Exception {
        // 200 MiB, under the frame limit, really sent: more than the parent's 128 MiB for frames being read.
        String out = call("lyingHeader 209715200 209715200");
        assertTrue(out.contains("this JVM lets all channels take together (half its heap)"), out);
        answers("after-200m");
    }

    @Test
    void answerToACallNeverSentIsACorruptChannel() throws Exception {
        String out = call("answerToNoCall");
        assertTrue(out.contains("the child answered call 987654321, which is not in flight there"), out);
        answers("after-no-call");
    }

    @Test
    void frameOfAKindChildrenDoNotSendIsACorruptChannel() throws Exception {
        String out = call("frameOfKind 42");
        assertTrue(out.contains("the child sent a frame of kind 42, which a child does not send"), out);
        String again = call("frameOfKind 5"); // a second "ready"
        assertTrue(again.contains("the child said it was ready twice"), again);
        answers("after-kinds");
    }

    @Test
    void floodOfLinesOnStderrIsSummarisedNotCopied() throws Exception {
        long before = logBytes();
        String out = call("floodLines 100");
        assertTrue(out.contains("flooded"), out);
        Eventually.until("the flood is summarised in the log", () -> logText().contains("of its output were not logged"),
                runtime::describe);
        long grown = logBytes() - before;
        System.out.println("figure: a child wrote 100 MiB of lines to stderr; the log grew by " + grown + " bytes");
        assertTrue(grown < 8L << 20, "the log grew by " + grown + " bytes for 100 MiB written");
        assertTrue(runtime.err().length() < 16 << 20, "console: " + runtime.err().length() + " characters");
    }

    @Test
    void consoleNobodyReadsHoldsUpNeitherTheLogNorTheCalls(@TempDir Path other) throws Exception {
        deployHostile(other);
        try (LauncherProcess stuck = LauncherProcess.startWithStuckConsole(other, List.of("-Xmx256m"))) {
            stuck.type("tramp:call hostile.Hostile floodLines 20\n");
            stuck.type("tramp:call hostile.Hostile echo still-answering\n");
            Eventually.until("the calls answered with the console stuck", Duration.ofSeconds(120),
                    () -> stuck.out().contains("still-answering" + System.lineSeparator()), stuck::out);
            assertTrue(stuck.out().contains("flooded"), stuck.out());

            stuck.readStderr();
            Eventually.until("the console says what it missed", Duration.ofSeconds(60),
                    () -> stuck.err().contains("log entries were not shown here: the console could not keep up"),
                    stuck::describe);
        }
    }

    @Test
    void lineOfAHundredMebibytesIsCutSayingHowMuch() throws Exception {
        String out = call("floodOneLine 100");
        assertTrue(out.contains("one line"), out);
        Eventually.until("the cut line is logged", () -> logText().contains("more bytes of this line cut]"),
                runtime::describe);
        // 14 + 100 MiB bytes in the line, 8 KiB kept
        assertTrue(logText().contains("one long line xxxxxxxx"), "its start is kept");
        assertTrue(logText().contains("x [... " + (14 + (100 << 20) - 8192) + " more bytes of this line cut]"),
                "cut after 8 KiB");
    }

    @Test
    void childThatRanOutOfMemoryTakesNoMoreCalls() throws Exception {
        String out = call("outOfMemory");
        Matcher m = Pattern.compile("Child JVM \\(pid (\\d+)\\) threw java.lang.OutOfMemoryError: Java heap space while"
                + " running the call; it takes no new calls").matcher(out);
        assertTrue(m.find(), out);
        long exhausted = Long.parseLong(m.group(1));
        assertNotEquals(exhausted, answers("after-oom"), "the next call ran in another child");
        Eventually.until("the exhausted child exits", () -> ProcessHandle.of(exhausted).isEmpty(), runtime::describe);
    }

    @Test
    @org.junit.jupiter.api.Order(Integer.MAX_VALUE)
    void everyMisbehaviourLeftTheParentRunning() throws Exception {
        assertTrue(runtime.process().isAlive(), runtime.describe());
        Path status = Path.of("/proc", Long.toString(runtime.process().pid()), "status");
        if (Files.exists(status)) { // the figure for the notes: the parent's peak and current resident memory
            System.out.println("figure: parent after every misbehaviour: " + Files.readAllLines(status).stream()
                    .filter(l -> l.startsWith("VmHWM") || l.startsWith("VmRSS")).toList());
        }
        assertEquals(false, runtime.describe().contains("OutOfMemoryError: Java heap space\n\tat dev.trampoline"),
                "no reader of the parent ran out of memory");
    }

    private Path logFile() throws IOException {
        try (Stream<Path> files = Files.walk(work)) {
            return files.filter(f -> f.getFileName().toString().equals("trampoline.log")).findFirst().orElseThrow();
        }
    }

    private long logBytes() throws IOException {
        return Files.size(logFile());
    }

    private String logText() {
        try {
            return Files.readString(logFile());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
