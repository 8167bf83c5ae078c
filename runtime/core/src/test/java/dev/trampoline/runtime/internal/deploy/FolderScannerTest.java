package dev.trampoline.runtime.internal.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scanner against a real folder, with the clock passed in: when files are handed over, and together. */
class FolderScannerTest {

    private static final long QUIET = 100;

    @TempDir
    Path folder;

    private FolderScanner scanner() {
        return new FolderScanner(List.of(folder), new DeployRegistry(null), QUIET, 3_000);
    }

    @Test
    void jarsArrivingOneAfterAnotherAreHandedOverAsOneBatchOnceTheFolderIsQuiet() throws IOException {
        FolderScanner scanner = scanner();
        long now = System.currentTimeMillis();
        assertTrue(scanner.scan(now).isEmpty());

        oldBundle("a.jar", "a"); // written long ago and moved in: settled at once on its own
        FolderScanner.Result first = scanner.scan(now + 10);
        oldBundle("b.jar", "b");
        FolderScanner.Result second = scanner.scan(now + 20);
        FolderScanner.Result quiet = scanner.scan(now + 20 + QUIET);

        assertTrue(first.ready().isEmpty() && first.pending(), "the folder just changed: more may come");
        assertTrue(second.ready().isEmpty() && second.pending());
        assertEquals(List.of("a.jar", "b.jar"), quiet.ready().stream()
                .map(r -> r.file().getFileName().toString()).sorted().toList());
    }

    @Test
    void jarsFoundByTheFirstScanAreHandedOverAtOnce() throws IOException {
        oldBundle("a.jar", "a");

        assertEquals(1, scanner().scan(System.currentTimeMillis()).ready().size());
    }

    @Test
    void aFolderThatNeverGoesQuietHoldsSettledJarsBackOnlyUntilTheIncompleteLimit() throws IOException {
        FolderScanner scanner = scanner();
        long now = System.currentTimeMillis();
        scanner.scan(now);
        oldBundle("a.jar", "a");
        scanner.scan(now + 10);
        Path growing = folder.resolve("slow.jar");
        for (long t = now + 20; t < now + 3_000; t += 50) {
            Files.write(growing, new byte[(int) (t - now)]); // a download that goes on and on
            assertTrue(scanner.scan(t).ready().isEmpty());
        }
        Files.write(growing, new byte[4_000]);

        FolderScanner.Result late = scanner.scan(now + 3_010);

        assertEquals(List.of(folder.resolve("a.jar")), late.ready().stream().map(FolderScanner.Ready::file).toList());
    }

    private void oldBundle(String name, String symbolicName) throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().putValue("Bundle-SymbolicName", symbolicName);
        Path jar = folder.resolve(name);
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, m)) {
            // the manifest is all a bundle needs here
        }
        Files.setLastModifiedTime(jar, FileTime.fromMillis(0));
    }
}
