package dev.trampoline.runtime.internal.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.trampoline.runtime.deploy.DeployedArtifact.Kind;

class ArtifactNamesTest {

    @Test
    void jarsAreBundlesAndCfgAndConfigFilesAreConfigurations() {
        assertEquals(Optional.of(Kind.BUNDLE), ArtifactNames.kindOf(Path.of("deploy/app.jar")));
        assertEquals(Optional.of(Kind.BUNDLE), ArtifactNames.kindOf(Path.of("deploy/APP.JAR")));
        assertEquals(Optional.of(Kind.CONFIGURATION), ArtifactNames.kindOf(Path.of("deploy/a.b.cfg")));
        assertEquals(Optional.of(Kind.CONFIGURATION), ArtifactNames.kindOf(Path.of("deploy/a.b.config")));
    }

    @Test
    void hiddenTemporaryAndOtherFilesAreIgnored() {
        for (String name : new String[] {".app.jar", "app.jar.part", "app.jar.tmp", "app.jar.crdownload",
                "app.jar~", "readme.txt", "app.war"}) {
            assertTrue(ArtifactNames.kindOf(Path.of("deploy", name)).isEmpty(), name);
        }
    }
}
