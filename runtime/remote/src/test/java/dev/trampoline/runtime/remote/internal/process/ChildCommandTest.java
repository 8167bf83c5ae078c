package dev.trampoline.runtime.remote.internal.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ChildCommandTest {

    private static ChildCommand command(Map<String, String> callEnvironment) {
        return new ChildCommand(Path.of("java"), "launcher.jar", "Main", List.of("-Xms8m"), callEnvironment,
                Path.of("snapshot.properties"), Path.of("storage"));
    }

    @Test
    void argumentsAreAnArrayWithTheSnapshotStorageAndParentLast() {
        List<String> args = command(Map.of()).arguments();
        assertEquals(List.of("java", "-Xms8m", "-cp", "launcher.jar", "Main", "--snapshot", "snapshot.properties",
                "--storage", "storage", "--parent", Long.toString(ProcessHandle.current().pid())), args);
        assertTrue(args.stream().noneMatch(a -> a.contains(" -")), "never a shell string");
    }
}
