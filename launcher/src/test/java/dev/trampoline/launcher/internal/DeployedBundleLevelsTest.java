package dev.trampoline.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class DeployedBundleLevelsTest {

    @Test
    void theFolderOfAFileLocationIsItsParentAbsoluteAndNormalized() {
        assertEquals(Path.of("/srv/deploy"), DeployedBundleLevels.folderOf("file:/srv/deploy/greeter.jar"));
        assertEquals(Path.of("/srv/deploy"), DeployedBundleLevels.folderOf(Path.of("/srv/x/../deploy/a b.jar")
                .toUri().toString()));
    }

    @Test
    void otherLocationsHaveNoFolder() {
        assertNull(DeployedBundleLevels.folderOf("System Bundle"));
        assertNull(DeployedBundleLevels.folderOf("trampoline:runtime/dev.trampoline.runtime.core"));
        assertNull(DeployedBundleLevels.folderOf("https://example.org/a.jar"));
        assertNull(DeployedBundleLevels.folderOf(null));
    }
}
