package dev.trampoline.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemPackagesTest {

    @TempDir
    Path dir;

    @Test
    void theRuntimeApiIsWhatTheRuntimeBundlesExportAndThePackagesTheirExportsUse() throws Exception {
        Map<String, String> api = SystemPackages.runtimeApi();
        assertEquals(List.of("dev.trampoline.runtime.deploy", "dev.trampoline.runtime.remote", "org.osgi.util.promise",
                "org.osgi.util.function"), List.copyOf(api.keySet()));
        api.values().forEach(v -> org.osgi.framework.Version.parseVersion(v));
    }

    @Test
    void aHostWithoutTheApiGetsOnlyWhatItNames() throws Exception {
        ClassLoader none = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader());
        assertNull(SystemPackages.extra(List.of(), none, log()));
        assertEquals("com.example.api;version=1.0.0,com.example.b",
                SystemPackages.extra(List.of("com.example.api;version=1.0.0", "com.example.b"), none, log()));
    }

    @Test
    void theHostsCopyIsExportedAtTheVersionItsManifestSaysAndANamedPackageIsLeftAsGiven() throws Exception {
        Files.createDirectories(dir.resolve("org/osgi/util/promise"));
        Files.write(dir.resolve("org/osgi/util/promise/package-info.class"), new byte[0]);
        Files.createDirectories(dir.resolve("org/osgi/util/function"));
        Files.write(dir.resolve("org/osgi/util/function/package-info.class"), new byte[0]);
        Files.createDirectories(dir.resolve("META-INF"));
        Files.writeString(dir.resolve("META-INF/MANIFEST.MF"), "Manifest-Version: 1.0\r\n"
                + "Export-Package: org.osgi.util.promise;version=\"1.3.7\";uses:=\"org.osgi.util.function\",x.y\r\n\r\n");
        ClassLoader host = new URLClassLoader(new URL[] {dir.toUri().toURL()}, ClassLoader.getPlatformClassLoader());

        assertEquals("org.osgi.util.promise;version=\"1.3.7\",org.osgi.util.function;version=\""
                + SystemPackages.runtimeApi().get("org.osgi.util.function") + "\"",
                SystemPackages.extra(List.of(), host, log()), "function: not in the manifest, the launcher's version");
        assertEquals("org.osgi.util.function;version=1.2.0,org.osgi.util.promise;version=\"1.3.7\"",
                SystemPackages.extra(List.of(" org.osgi.util.function;version=1.2.0"), host, log()),
                "named once, by the host");
    }

    @Test
    void headersAreSplitOutsideQuotes() {
        String clause = "a;b;version=\"[1,2)\";uses:=\"c,d\"";
        assertEquals(List.of("a", "b"), SystemPackages.packages(clause));
        assertEquals(Map.of("version", "[1,2)", "uses:", "c,d"), SystemPackages.parameters(clause));
        assertEquals(List.of(clause, "e"), SystemPackages.split(clause + ",e", ','));
    }

    private LauncherLog log() {
        return new LauncherLog(dir.resolve("log.txt"), "INFO", false);
    }
}
