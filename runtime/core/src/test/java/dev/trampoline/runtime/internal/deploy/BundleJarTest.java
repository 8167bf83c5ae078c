package dev.trampoline.runtime.internal.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.trampoline.runtime.internal.deploy.BundleJar.InvalidJarException;

class BundleJarTest {

    @TempDir
    Path dir;

    private Path jar(String name, String... headers) throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        for (int i = 0; i < headers.length; i += 2) {
            m.getMainAttributes().putValue(headers[i], headers[i + 1]);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(bytes, m)) {
            out.closeEntry();
        }
        return Files.write(dir.resolve(name), bytes.toByteArray());
    }

    @Test
    void readsNameVersionAndFragmentHost() throws Exception {
        BundleJar b = BundleJar.read(jar("f.jar", "Bundle-SymbolicName", "frag;singleton:=true",
                "Bundle-Version", "1.2.3", "Fragment-Host", "host.bundle;bundle-version=\"[1,2)\""));
        assertEquals("frag", b.symbolicName());
        assertEquals("1.2.3", b.version());
        assertTrue(b.isFragment());
        assertEquals("host.bundle", b.fragmentHostName());
    }

    @Test
    void bundleWithoutVersionIsVersionZeroAndNotAFragment() throws Exception {
        BundleJar b = BundleJar.read(jar("b.jar", "Bundle-SymbolicName", "b"));
        assertEquals("0.0.0", b.version());
        assertFalse(b.isFragment());
    }

    @Test
    void plainJarIsRejectedForGoodNamingTheMissingHeader() throws Exception {
        InvalidJarException e = assertThrows(InvalidJarException.class, () -> BundleJar.read(jar("plain.jar")));
        assertTrue(e.getMessage().contains("Bundle-SymbolicName"), e.getMessage());
        assertFalse(e.mayBeIncomplete(), "a complete jar without the header will not improve by waiting");
    }

    @Test
    void truncatedJarMayStillBeBeingWritten() throws Exception {
        byte[] whole = Files.readAllBytes(jar("whole.jar", "Bundle-SymbolicName", "w"));
        Path half = Files.write(dir.resolve("half.jar"), Arrays.copyOf(whole, whole.length / 2));
        InvalidJarException e = assertThrows(InvalidJarException.class, () -> BundleJar.read(half));
        assertTrue(e.mayBeIncomplete());
        assertTrue(e.getMessage().contains("incomplete or corrupt"), e.getMessage());
    }
}
