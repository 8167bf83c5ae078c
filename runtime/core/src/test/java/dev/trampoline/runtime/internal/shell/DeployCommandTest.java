package dev.trampoline.runtime.internal.shell;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.trampoline.runtime.deploy.DeployedArtifact;
import dev.trampoline.runtime.deploy.DeployedArtifact.Kind;

class DeployCommandTest {

    @Test
    void listsEachFolderWithItsFilesStatesAndErrors() {
        Path folder = Path.of("/srv/deploy");
        String out = DeployCommand.format(List.of(folder, Path.of("/srv/empty")), f -> 1, 1, List.of(
                new DeployedArtifact(folder.resolve("a.jar"), Kind.BUNDLE, 12, "com.a", "1.0.0", "ACTIVE", null, null,
                        1),
                new DeployedArtifact(folder.resolve("b.jar"), Kind.BUNDLE, 13, "com.b", "1.0.0", "INSTALLED", null,
                        "missing requirement osgi.wiring.package=com.c", 1),
                new DeployedArtifact(folder.resolve("x.cfg"), Kind.CONFIGURATION, -1, null, null, "APPLIED", "x", null,
                        0)));

        assertTrue(out.contains("Deploy folder /srv/deploy"), out);
        assertTrue(out.matches("(?s).*a\\.jar\\s+ACTIVE\\s+bundle 12 com\\.a 1\\.0\\.0.*"), out);
        assertTrue(out.contains("error: missing requirement osgi.wiring.package=com.c"), out);
        assertTrue(out.matches("(?s).*x\\.cfg\\s+APPLIED\\s+config x.*"), out);
        assertTrue(out.contains("Deploy folder /srv/empty\n  (empty)"), out);
        assertFalse(out.contains("level"), "no level where every level is the default: " + out);
    }

    @Test
    void showsStartLevelsThatAreNotTheDefault() {
        Path spi = Path.of("/srv/spi");
        Path apps = Path.of("/srv/apps");
        String out = DeployCommand.format(List.of(spi, apps), f -> f.equals(spi) ? 2 : 1, 1, List.of(
                new DeployedArtifact(spi.resolve("spifly.jar"), Kind.BUNDLE, 12, "spifly", "1.3.7", "ACTIVE", null,
                        null, 2),
                new DeployedArtifact(apps.resolve("app.jar"), Kind.BUNDLE, 13, "app", "1.0.0", "ACTIVE", null, null, 1),
                new DeployedArtifact(apps.resolve("moved.jar"), Kind.BUNDLE, 14, "moved", "1.0.0", "ACTIVE", null,
                        null, 5)));

        assertTrue(out.contains("Deploy folder /srv/spi (start level 2)\n"), out);
        assertTrue(out.contains("Deploy folder /srv/apps\n"), out);
        assertTrue(out.matches("(?s).*spifly\\.jar\\s+ACTIVE\\s+bundle 12 spifly 1\\.3\\.7 level 2\n.*"), out);
        assertTrue(out.matches("(?s).*app\\.jar\\s+ACTIVE\\s+bundle 13 app 1\\.0\\.0\n.*"), out);
        assertTrue(out.matches("(?s).*moved\\.jar\\s+ACTIVE\\s+bundle 14 moved 1\\.0\\.0 level 5\n.*"), out);
    }
}
