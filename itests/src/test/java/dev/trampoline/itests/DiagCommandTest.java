package dev.trampoline.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tramp:diag on real bundles in a real launcher: a missing import, a component missing its reference. */
class DiagCommandTest {

    @TempDir
    Path work;

    @Test
    void namesTheMissingPackageAndTheMissingReference() throws Exception {
        Path deploy = Files.createDirectories(work.resolve("deploy"));
        TestBundle.client("diag.client", "diag.missing").writeTo(deploy.resolve("client.jar"));
        TestBundle.named("diag.needy", "1.0.0").componentNeeding("needy", "hi", "(test.name=nobody)")
                .writeTo(deploy.resolve("needy.jar"));

        LauncherProcess p = LauncherProcess.run(work, "tramp:diag diag.client\ntramp:diag diag.needy\nscr:list\ntramp:diag NEEDY\n");

        assertTrue(p.exitCode() == 0, p.describe());
        String out = p.out();
        assertTrue(out.contains("diag.client 1.0.0: INSTALLED"), out);
        assertTrue(out.lines().anyMatch(l -> l.contains("missing Import-Package") && l.contains("diag.missing")),
                "names the missing package:\n" + out);
        assertTrue(out.contains("Last deploy error:"), "the hot deployer's error for the file:\n" + out);
        assertTrue(out.contains("diag.needy 1.0.0: ACTIVE"), out);
        assertEquals(2, out.split("diag.needy 1.0.0: ACTIVE", -1).length - 1,
                "a part of the name in any case, as lb takes it, finds the bundle too:\n" + out);
        assertTrue(out.contains("Component needy: UNSATISFIED_REFERENCE"), out);
        assertTrue(out.contains("missing reference needs: java.util.function.Supplier with target (test.name=nobody)"),
                "names the reference and its interface:\n" + out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("needy in bundle") && l.contains("diag.needy")),
                "Felix SCR's own scr:list is there:\n" + out);
    }
}
