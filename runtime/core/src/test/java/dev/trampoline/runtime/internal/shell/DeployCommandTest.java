package dev.trampoline.runtime.internal.shell;

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
        String out = DeployCommand.format(List.of(folder, Path.of("/srv/empty")), List.of(
                new DeployedArtifact(folder.resolve("a.jar"), Kind.BUNDLE, 12, "com.a", "1.0.0", "ACTIVE", null, null),
                new DeployedArtifact(folder.resolve("b.jar"), Kind.BUNDLE, 13, "com.b", "1.0.0", "INSTALLED", null,
                        "missing requirement osgi.wiring.package=com.c"),
                new DeployedArtifact(folder.resolve("x.cfg"), Kind.CONFIGURATION, -1, null, null, "APPLIED", "x", null)));

        assertTrue(out.contains("Deploy folder /srv/deploy"), out);
        assertTrue(out.matches("(?s).*a\\.jar\\s+ACTIVE\\s+bundle 12 com\\.a 1\\.0\\.0.*"), out);
        assertTrue(out.contains("error: missing requirement osgi.wiring.package=com.c"), out);
        assertTrue(out.matches("(?s).*x\\.cfg\\s+APPLIED\\s+config x.*"), out);
        assertTrue(out.contains("Deploy folder /srv/empty\n  (empty)"), out);
    }
}
