package dev.trampoline.runtime.remote.internal.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaHomeTest {

    @TempDir
    Path dir;

    /** A folder that looks like a JDK to {@link JavaHome#of}: a release file and an executable bin/java. */
    private Path fakeJdk(String name, String release) throws Exception {
        Path home = Files.createDirectories(dir.resolve(name));
        Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\nexit 1\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(home.resolve("release"), release);
        return home;
    }

    @Test
    void theReleaseFileGivesTheRuntimeVersionWhereItHasOne() {
        assertEquals(Optional.of("25.0.3+9-LTS"), JavaHome.versionIn("IMPLEMENTOR=\"Eclipse Adoptium\"\n"
                + "JAVA_RUNTIME_VERSION=\"25.0.3+9-LTS\"\nJAVA_VERSION=\"25.0.3\"\n"));
        assertEquals(Optional.of("17.0.9"), JavaHome.versionIn("JAVA_VERSION=\"17.0.9\"\nOS_NAME=\"Linux\"\n"));
        assertEquals(Optional.empty(), JavaHome.versionIn("OS_NAME=\"Linux\"\n"));
    }

    @Test
    void javaDashVersionOutputGivesTheQuotedVersion() {
        assertEquals(Optional.of("17.0.9"), JavaHome.versionOutput("openjdk version \"17.0.9\" 2023-10-17\n"
                + "OpenJDK Runtime Environment (build 17.0.9+9)\n"));
        assertEquals(Optional.of("1.8.0_392"), JavaHome.versionOutput("java version \"1.8.0_392\"\n"));
        assertEquals(Optional.empty(), JavaHome.versionOutput("Error: could not find libjava.so\n"));
    }

    @Test
    void featureAndUpdateReadEveryNumberingScheme() {
        Path any = Path.of("/jdk");
        assertEquals(25, new JavaHome(any, "25+36").feature());
        assertEquals(0, new JavaHome(any, "25+36").update());
        assertEquals(17, new JavaHome(any, "17.0.15+6-Debian-1deb12u1").feature());
        assertEquals(15, new JavaHome(any, "17.0.15+6-Debian-1deb12u1").update());
        assertEquals(8, new JavaHome(any, "1.8.0_392").feature());
        assertEquals(26, new JavaHome(any, "26-ea").feature());
    }

    @Test
    void aotCacheFromJdk25AndNativeHeapTrimWhereTheJvmHasIt() {
        Path any = Path.of("/elsewhere/jdk");
        assertTrue(new JavaHome(any, "25.0.3+9-LTS").usesAotCache());
        assertFalse(new JavaHome(any, "21.0.5").usesAotCache());
        assertTrue(new JavaHome(any, "17.0.9").trimsNativeHeap());
        assertFalse(new JavaHome(any, "17.0.8").trimsNativeHeap());
        assertFalse(new JavaHome(any, "20.0.2").trimsNativeHeap());
        assertTrue(new JavaHome(any, "21.0.1").trimsNativeHeap());
        assertTrue(new JavaHome(any, "25").trimsNativeHeap());
        assertEquals(ChildJvmOptions.nativeHeapTrimSupported(), JavaHome.current().trimsNativeHeap(),
                "the runtime's own JDK is asked");
    }

    @Test
    void aJdkFolderIsReadOnceAndItsJavaIsInBin() throws Exception {
        Path home = fakeJdk("jdk-25", "JAVA_VERSION=\"25.0.1\"\n");

        JavaHome jdk = JavaHome.of(home.toString());

        assertEquals("25.0.1", jdk.version());
        assertEquals(home.resolve("bin/java"), jdk.java());
        assertSame(jdk, JavaHome.of(home + "/."), "the same folder, however written, is read once");
    }

    @Test
    void aFolderThatIsNoUsableJdkIsRefusedNamingItAndWhatToGive() throws Exception {
        Path missing = dir.resolve("no-such-jdk");
        Path noJava = Files.createDirectories(dir.resolve("empty-jdk"));
        Path old = fakeJdk("jdk-11", "JAVA_VERSION=\"11.0.2\"\n");

        String gone = assertThrows(IllegalArgumentException.class, () -> JavaHome.of(missing.toString())).getMessage();
        String bin = assertThrows(IllegalArgumentException.class, () -> JavaHome.of(noJava.toString())).getMessage();
        String tooOld = assertThrows(IllegalArgumentException.class, () -> JavaHome.of(old.toString())).getMessage();

        assertTrue(gone.contains(missing.toString()) && gone.contains("does not exist"), gone);
        assertTrue(bin.contains(noJava.toString()) && bin.contains("no executable bin/java"), bin);
        assertTrue(tooOld.contains(old.toString()) && tooOld.contains("11.0.2") && tooOld.contains("JDK 17 or later"),
                tooOld);
        Path binary = Files.writeString(dir.resolve("java"), "#!/bin/sh\n");
        String file = assertThrows(IllegalArgumentException.class, () -> JavaHome.of(binary.toString())).getMessage();
        assertTrue(file.contains("is a file") && file.contains("not a java binary"), file);
    }

    @Test
    void withoutAReleaseFileTheVersionComesFromJavaDashVersion() throws Exception {
        Path home = Files.createDirectories(dir.resolve("no-release"));
        Files.createDirectories(home.resolve("bin"));
        Files.createSymbolicLink(home.resolve("bin/java"), JavaHome.current().java());

        assertEquals(Runtime.version().feature(), JavaHome.of(home.toString()).feature());
    }
}
