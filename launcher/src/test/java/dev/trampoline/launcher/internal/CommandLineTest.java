package dev.trampoline.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.trampoline.launcher.internal.CommandLine.UsageException;

class CommandLineTest {

    @Test
    void defaultsAreDeployAndDotTrampolineInTheWorkingFolder() throws Exception {
        CommandLine cl = CommandLine.parse();
        assertEquals(List.of(Path.of("deploy")), cl.deployFolders());
        assertEquals(Path.of(".trampoline"), cl.storage());
        assertEquals("INFO", cl.logLevel());
        assertFalse(cl.clean());
    }

    @Test
    void everyOptionIsRead() throws Exception {
        CommandLine cl = CommandLine.parse("--deploy", "a", "--deploy", "b", "--storage", "s", "--clean",
                "-Dx=1", "-Dflag", "-Dy=a=b", "--log-level", "debug", "--exec", "lb -s");
        assertEquals(List.of(Path.of("a"), Path.of("b")), cl.deployFolders());
        assertEquals(Path.of("s"), cl.storage());
        assertTrue(cl.clean());
        assertEquals(Map.of("x", "1", "flag", "", "y", "a=b"), cl.properties());
        assertEquals("DEBUG", cl.logLevel());
        assertEquals("lb -s", cl.exec());
    }

    @Test
    void malformedCommandLinesAreUsageErrors() {
        for (String[] args : new String[][] {{"--deploy"}, {"--what"}, {"-D=1"}, {"--log-level", "chatty"},
                {"--exec", "a", "--exec", "b"}, {"--exec", "lb", "--no-shell"}, {"stray"}}) {
            assertThrows(UsageException.class, () -> CommandLine.parse(args), String.join(" ", args));
        }
    }
}
