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
        assertEquals(List.of(new DeployFolder(Path.of("deploy"), DeployFolder.DEFAULT)), cl.deployFolders());
        assertEquals(Path.of(".trampoline"), cl.storage());
        assertEquals("INFO", cl.logLevel());
        assertFalse(cl.clean());
    }

    @Test
    void everyOptionIsRead() throws Exception {
        CommandLine cl = CommandLine.parse("--deploy", "a", "--deploy", "b", "--storage", "s", "--clean",
                "-Dx=1", "-Dflag", "-Dy=a=b", "--log-level", "debug", "--exec", "lb -s");
        assertEquals(List.of(new DeployFolder(Path.of("a"), DeployFolder.DEFAULT), new DeployFolder(Path.of("b"),
                DeployFolder.DEFAULT)), cl.deployFolders());
        assertEquals(Path.of("s"), cl.storage());
        assertTrue(cl.clean());
        assertEquals(Map.of("x", "1", "flag", "", "y", "a=b"), cl.properties());
        assertEquals("DEBUG", cl.logLevel());
        assertEquals("lb -s", cl.exec());
    }

    @Test
    void malformedCommandLinesAreUsageErrors() {
        for (String[] args : new String[][] {{"--deploy"}, {"--what"}, {"-D=1"}, {"--log-level", "chatty"},
                {"--exec", "a", "--exec", "b"}, {"--exec", "lb", "--no-shell"}, {"stray"}, {"--deploy", "a@0"},
                {"--deploy", "a@99999999999"}, {"--deploy", "a@2", "--deploy", "./a@3"}}) {
            assertThrows(UsageException.class, () -> CommandLine.parse(args), String.join(" ", args));
        }
    }

    @Test
    void aDeployFolderMayEndInAtAndItsStartLevel() throws Exception {
        CommandLine cl = CommandLine.parse("--deploy", "spi@2", "--deploy", "apps", "--deploy", "late@30");

        assertEquals(List.of(new DeployFolder(Path.of("spi"), 2),
                new DeployFolder(Path.of("apps"), DeployFolder.DEFAULT), new DeployFolder(Path.of("late"), 30)),
                cl.deployFolders());
    }

    @Test
    void anAtNotFollowedByDigitsToTheEndIsPartOfTheFoldersName() throws Exception {
        CommandLine cl = CommandLine.parse("--deploy", "me@host/apps", "--deploy", "v@1.2", "--deploy", "x@",
                "--deploy", "releases@2/");

        assertEquals(List.of(Path.of("me@host/apps"), Path.of("v@1.2"), Path.of("x@"), Path.of("releases@2")),
                cl.deployFolders().stream().map(DeployFolder::folder).toList());
        cl.deployFolders().forEach(f -> assertEquals(DeployFolder.DEFAULT, f.startLevel(), f.toString()));
    }

    @Test
    void aLevelThatIsNoStartLevelSaysWhatToDo() {
        UsageException e = assertThrows(UsageException.class, () -> CommandLine.parse("--deploy", "plugins@0"));

        assertEquals("--deploy plugins@0: the start level after @ must be a whole number from 1 to 2147483647 (a folder"
                + " whose name ends in @0 is given with a trailing " + java.io.File.separator + ")", e.getMessage());
    }

    @Test
    void theSameFolderTwiceWithTheSameLevelIsFine() throws Exception {
        assertEquals(2, CommandLine.parse("--deploy", "a@2", "--deploy", "a@2").deployFolders().size());
    }
}
