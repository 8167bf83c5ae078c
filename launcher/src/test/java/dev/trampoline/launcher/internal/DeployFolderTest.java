package dev.trampoline.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/** What the launcher hands the core bundle in {@code trampoline.deploy.dirs}, and the level it starts at. */
class DeployFolderTest {

    private static final Path ROOT = Path.of(File.separator, "srv");

    @Test
    void theFoldersLevelFollowsItsPathAndAFolderNamedLikeALevelKeepsItsName() {
        String value = DeployFolder.propertyValue(List.of(new DeployFolder(ROOT.resolve("spi"), 2),
                new DeployFolder(ROOT.resolve("apps"), DeployFolder.DEFAULT),
                new DeployFolder(ROOT.resolve("releases@3"), DeployFolder.DEFAULT),
                new DeployFolder(ROOT.resolve("v@4"), 5)));

        assertEquals(String.join(File.pathSeparator, ROOT.resolve("spi") + "@2", ROOT.resolve("apps").toString(),
                ROOT.resolve("releases@3") + File.separator, ROOT.resolve("v@4") + "@5"), value);
    }

    @Test
    void everyEntryWrittenIsReadBackAsTheSameFolderAndLevel() {
        for (DeployFolder f : List.of(new DeployFolder(ROOT.resolve("spi"), 2),
                new DeployFolder(ROOT.resolve("apps"), DeployFolder.DEFAULT),
                new DeployFolder(ROOT.resolve("releases@3"), DeployFolder.DEFAULT),
                new DeployFolder(ROOT.resolve("v@4"), 5))) {
            assertEquals(f, DeployFolder.parse(f.propertyEntry(), "test").absolute(), f.propertyEntry());
        }
    }

    @Test
    void theFrameworkStartsAtTheHighestLevelTheDefaultStandingForFoldersWithoutOne() {
        List<DeployFolder> folders = List.of(new DeployFolder(ROOT.resolve("spi"), 2),
                new DeployFolder(ROOT.resolve("apps"), DeployFolder.DEFAULT));

        assertEquals(2, DeployFolder.highestLevel(folders, 1));
        assertEquals(80, DeployFolder.highestLevel(folders, 80));
        assertEquals(1, DeployFolder.highestLevel(List.of(), 1));
        assertEquals(1, DeployFolder.highestLevel(List.of(new DeployFolder(ROOT, DeployFolder.DEFAULT)), 1));
    }

    @Test
    void theDefaultLevelIsThePropertysWhenItIsAStartLevel() {
        assertEquals(1, DeployFolder.defaultLevel(null));
        assertEquals(80, DeployFolder.defaultLevel(" 80 "));
        assertEquals(1, DeployFolder.defaultLevel("0"));
        assertEquals(1, DeployFolder.defaultLevel("high"));
    }
}
