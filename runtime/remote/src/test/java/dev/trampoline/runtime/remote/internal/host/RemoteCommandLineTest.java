package dev.trampoline.runtime.remote.internal.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What reaches a host's shell: words it runs as they were, and JVM options its JDK can take. */
class RemoteCommandLineTest {

    @TempDir
    Path dir;

    @Test
    void aRealShellSeesEveryWordAsItWasNothingExpanded() throws Exception {
        Path marker = dir.resolve("expanded");
        List<String> words = List.of("it's", "$HOME", "`touch " + marker + "`", "$(touch " + marker + ")",
                "a b", "*", "", "\\n", "-Dx=\"y\"; touch " + marker);
        List<String> command = new ArrayList<>(List.of("printf", "%s\\n"));
        command.addAll(words);
        Process sh = new ProcessBuilder("sh", "-c", RemoteHost.shellLine(command)).start();
        String printed = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, sh.waitFor());
        assertEquals(String.join("\n", words) + "\n", printed);
        assertFalse(Files.exists(marker), "no word ran a command");
    }

    @Test
    void aCallsEnvironmentReachesTheChildOverStdinAndTheChannelStartsRightAfter() throws Exception {
        byte[] lines = HostStarter.environmentLines(new java.util.LinkedHashMap<>(java.util.Map.of("A", "1 2 'x'")));
        Process sh = new ProcessBuilder("sh", "-c", HostStarter.TAKE_ENVIRONMENT, "sh", "sh", "-c",
                "printf '%s|%s\\n' \"$A\" \"$B\"; cat").start();
        try (var in = sh.getOutputStream()) {
            in.write(lines);
            in.write("the channel".getBytes(StandardCharsets.UTF_8));
        }
        String printed = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, sh.waitFor());
        assertEquals("1 2 'x'|\nthe channel", printed);
    }

    @Test
    void anEnvironmentAHostsShellCouldMisreadIsRefused() {
        assertThrows(IOException.class, () -> HostStarter.environmentLines(java.util.Map.of("-S", "x")));
        assertThrows(IOException.class, () -> HostStarter.environmentLines(java.util.Map.of("A", "two\nlines")));
    }

    @Test
    void aClassDataArchiveOfThisMachineDoesNotGoToAnotherHost() {
        List<String> options = List.of("-Xmx64m", "-XX:SharedArchiveFile=/home/me/.trampoline/cds/a.jsa",
                "-Xlog:cds*=off:stderr", "-XX:ArchiveClassesAtExit=/tmp/x.jsa", "-XX:TrimNativeHeapInterval=1000");
        assertEquals(List.of("-Xmx64m"), HostStarter.optionsFor(options, 17));
        assertEquals(List.of("-Xmx64m", "-XX:TrimNativeHeapInterval=1000", "--sun-misc-unsafe-memory-access=allow"),
                HostStarter.optionsFor(options, 25), "a JDK 25 host's children are spared JEP 498's warnings too");
        assertEquals(List.of("--sun-misc-unsafe-memory-access=warn"),
                HostStarter.optionsFor(List.of("--sun-misc-unsafe-memory-access=warn"), 25), "unless a call chose");
    }

    @Test
    void aContactThatFailsSaysWhyWithSshsStatusAndStderr() throws IOException {
        SshRun run = new SshRun("ssh", 255, "", "ssh: connect to host 127.0.0.1 port 1: Connection refused\n");
        assertEquals("ssh exited with 255: ssh: connect to host 127.0.0.1 port 1: Connection refused", run.failure());
    }
}
