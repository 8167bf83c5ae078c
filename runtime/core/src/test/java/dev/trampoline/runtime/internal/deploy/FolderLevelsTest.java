package dev.trampoline.runtime.internal.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/** {@code trampoline.deploy.dirs} with {@code @LEVEL} suffixes, and {@code trampoline.deploy.startLevel}. */
class FolderLevelsTest {

    private static final String SEP = File.pathSeparator;

    private static Path abs(String path) {
        return Path.of(path).toAbsolutePath().normalize();
    }

    @Test
    void aTrailingAtAndDigitsIsTheFoldersLevelOthersGetTheDefault() {
        FolderLevels levels = FolderLevels.parse("spi@2" + SEP + " apps " + SEP + "late@30", null);

        assertEquals(List.of(abs("spi"), abs("apps"), abs("late")), levels.folders());
        assertEquals(2, levels.levelOf(abs("spi")));
        assertEquals(1, levels.levelOf(abs("apps")));
        assertEquals(30, levels.levelOf(abs("late")));
        assertEquals(1, levels.defaultLevel());
        assertEquals(List.of(), levels.problems());
    }

    @Test
    void theDefaultLevelIsAFrameworkProperty() {
        FolderLevels levels = FolderLevels.parse("apps" + SEP + "spi@2", " 80 ");

        assertEquals(80, levels.levelOf(abs("apps")));
        assertEquals(2, levels.levelOf(abs("spi")));
        assertEquals(80, levels.defaultLevel());
    }

    @Test
    void anAtThatIsNotAtTheEndOrNotFollowedByDigitsOnlyIsPartOfThePath() {
        FolderLevels levels = FolderLevels.parse("me@host/apps" + SEP + "v@1.2" + SEP + "x@", null);

        assertEquals(List.of(abs("me@host/apps"), abs("v@1.2"), abs("x@")), levels.folders());
        levels.folders().forEach(f -> assertEquals(1, levels.levelOf(f)));
    }

    @Test
    void aFolderWhoseNameEndsInAtDigitsIsWrittenWithATrailingSeparator() {
        FolderLevels levels = FolderLevels.parse("releases@2" + File.separator, null);

        assertEquals(List.of(abs("releases@2")), levels.folders());
        assertEquals(1, levels.levelOf(abs("releases@2")));
    }

    @Test
    void aLevelThatIsNoStartLevelIsAProblemAndTheFolderGetsTheDefault() {
        FolderLevels levels = FolderLevels.parse("zero@0" + SEP + "huge@99999999999", "-3");

        assertEquals(List.of(abs("zero"), abs("huge")), levels.folders());
        assertEquals(1, levels.levelOf(abs("zero")));
        assertEquals(1, levels.levelOf(abs("huge")));
        assertEquals(3, levels.problems().size(), levels.problems().toString());
        assertTrue(levels.problems().get(0).startsWith("trampoline.deploy.startLevel=-3 is not a start level"),
                levels.problems().toString());
        assertTrue(levels.problems().get(1).contains("zero@0"), levels.problems().toString());
    }

    @Test
    void aFolderNamedTwiceKeepsItsFirstLevel() {
        FolderLevels levels = FolderLevels.parse("a@3" + SEP + "./a@5" + SEP + "", null);

        assertEquals(List.of(abs("a")), levels.folders());
        assertEquals(3, levels.levelOf(abs("a")));
    }

    @Test
    void noPropertyMeansNoFolders() {
        assertEquals(List.of(), FolderLevels.parse(null, null).folders());
        assertEquals(List.of(), FolderLevels.parse("", null).folders());
    }
}
