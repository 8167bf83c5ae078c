package dev.trampoline.runtime.remote.internal.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildJvmOptionsTest {

    @TempDir
    Path dir;

    private ChildJvmOptions options(String configured, String jit) {
        return new ChildJvmOptions(dir, "launcher.jar", false, configured, jit);
    }

    @Test
    void adoptingAnArchiveKeepsTheTwoNewestOfOtherLauncherJarsAndRemovesOlderOnes() throws Exception {
        ChildJvmOptions cds = new ChildJvmOptions(dir, "launcher.jar", true, null, null);
        List<Path> others = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Path other = java.nio.file.Files.writeString(dir.resolve("child-00000000000000a" + i + ".jsa"), "old");
            java.nio.file.Files.setLastModifiedTime(other, java.nio.file.attribute.FileTime.fromMillis(1_000_000L * (i + 1)));
            others.add(other);
        }
        Path unrelated = java.nio.file.Files.writeString(dir.resolve("notes.txt"), "kept");
        Path dump = cds.dumpTarget(1);
        java.nio.file.Files.writeString(dump, "archive");

        cds.adopt(dump, true);

        assertTrue(java.nio.file.Files.isRegularFile(cds.archive()), "the new archive is in place");
        assertEquals(List.of(false, false, true, true),
                others.stream().map(java.nio.file.Files::exists).toList(), "the two newest others stay");
        assertTrue(java.nio.file.Files.exists(unrelated));
    }

    @Test
    void aClassPathWithAFolderGetsNoArchiveNorTrainingAndSaysWhy() throws Exception {
        Path classes = java.nio.file.Files.createDirectories(dir.resolve("classes/dev"));
        String classPath = "launcher.jar" + java.io.File.pathSeparator + classes.getParent();
        ChildJvmOptions onFolder = new ChildJvmOptions(dir, classPath, true, null, null);
        java.nio.file.Files.writeString(onFolder.archive(), "an archive of an earlier run"); // not used either

        assertFalse(onFolder.wantsArchive(), "no training child");
        assertEquals(null, onFolder.dumpTarget(1));
        List<String> child = onFolder.forChild(List.of(), null);
        assertTrue(child.stream().noneMatch(o -> o.contains("SharedArchiveFile") || o.contains("ArchiveClasses")),
                child::toString);
        assertTrue(onFolder.noArchiveReason().contains(classes.getParent().toString()), onFolder.noArchiveReason());

        ChildJvmOptions onJar = new ChildJvmOptions(dir, "launcher.jar", true, null, null);
        assertEquals(null, onJar.noArchiveReason());
        assertTrue(onJar.wantsArchive(), "a jar class path trains an archive");
        assertEquals(null, new ChildJvmOptions(dir, classPath, false, null, null).noArchiveReason(),
                "nothing to explain when the archive is off anyway");
    }

    @Test
    void childrenOnJdk25GetAnAotCacheMadeAndUsedAsTheArchiveIs() throws Exception {
        JavaHome jdk25 = new JavaHome(dir.resolve("jdk-25"), "25.0.3+9-LTS");
        ChildJvmOptions aot = new ChildJvmOptions(dir, "launcher.jar", true, null, null, jdk25);
        assertTrue(aot.archive().getFileName().toString().endsWith(".aot"), aot.archive()::toString);
        assertTrue(aot.wantsArchive());
        Path dump = aot.dumpTarget(1);
        List<String> training = aot.forChild(List.of(), dump);
        assertTrue(training.contains("-XX:AOTCacheOutput=" + dump) && training.contains("-Xlog:aot*=off:stderr"),
                training::toString);
        assertTrue(training.stream().noneMatch(o -> o.contains("ArchiveClassesAtExit")), training::toString);
        assertTrue(training.contains("-XX:TrimNativeHeapInterval=1000"), "JDK 25 trims: " + training);
        assertTrue(training.contains("--sun-misc-unsafe-memory-access=allow"), "Felix's Unsafe use: " + training);

        java.nio.file.Files.writeString(dump, "cache");
        java.nio.file.Files.writeString(Path.of(dump + ".config"), "the JVM's, left by a failed assembly");
        aot.adopt(dump, true);

        List<String> child = aot.forChild(List.of(), null);
        assertTrue(child.contains("-XX:AOTCache=" + aot.archive()), child::toString);
        assertTrue(child.stream().noneMatch(o -> o.contains("SharedArchiveFile")), child::toString);
        assertFalse(java.nio.file.Files.exists(Path.of(dump + ".config")), "no temporary file stays");
        List<String> ownChoice = aot.forChild(List.of("-XX:AOTMode=off"), null);
        assertTrue(ownChoice.stream().noneMatch(o -> o.startsWith("-XX:AOTCache")), "the call's choice: " + ownChoice);
    }

    @Test
    void childrenOnJdk17GetAClassDataArchiveNamedForThatJdk() throws Exception {
        ChildJvmOptions own = new ChildJvmOptions(dir, "launcher.jar", true, null, null);
        ChildJvmOptions other = new ChildJvmOptions(dir, "launcher.jar", true, null, null,
                new JavaHome(dir.resolve("jdk-17"), "17.0.8"));
        assertTrue(other.forChild(List.of(), other.dumpTarget(2)).stream()
                .anyMatch(o -> o.startsWith("-XX:ArchiveClassesAtExit=")));
        java.nio.file.Files.writeString(other.archive(), "archive");

        assertTrue(other.archive().getFileName().toString().endsWith(".jsa"));
        assertFalse(other.archive().equals(own.archive()), "one archive per JDK");
        List<String> child = other.forChild(List.of(), null);
        assertTrue(child.contains("-XX:SharedArchiveFile=" + other.archive()), child::toString);
        assertFalse(child.contains("-XX:TrimNativeHeapInterval=1000"), "17.0.8 has no native heap trim: " + child);
        assertTrue(child.stream().noneMatch(o -> o.startsWith("--sun-misc")), "unknown to JDK 17: " + child);
    }

    @Test
    void quickJitCompilesWithC1OnlyOnOneThread() {
        List<String> child = options(null, "quick").forChild(List.of(), null);
        assertTrue(child.contains("-XX:TieredStopAtLevel=1") && child.contains("-XX:CICompilerCount=1"), child::toString);
        List<String> full = options(null, "full").forChild(List.of(), null);
        assertTrue(Collections.disjoint(full, List.of("-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1")), full::toString);
    }

    @Test
    void fullJitIsTheDefaultAndDefersC2WhileJvmLeavesTheJvmAlone() {
        List<String> byDefault = options(null, null).forChild(List.of(), null);
        assertTrue(byDefault.contains("-XX:Tier4InvocationThreshold=15000"), byDefault::toString);
        assertEquals(byDefault, options(null, "FULL").forChild(List.of(), null));
        List<String> jvm = options(null, "jvm").forChild(List.of(), null);
        assertTrue(jvm.stream().noneMatch(o -> o.contains("Tier") || o.contains("CICompilerCount")), jvm::toString);
    }

    @Test
    void jitOptionsOfACallOrTheConfigurationReplaceThePresetAsAWhole() {
        // A lone CICompilerCount=1 next to a call's full tiered compilation would stop the JVM from starting.
        List<String> call = options(null, "quick").forChild(List.of("-XX:TieredStopAtLevel=4"), null);
        assertFalse(call.contains("-XX:CICompilerCount=1"), call::toString);
        List<String> ownThreshold = options(null, null).forChild(List.of("-XX:Tier4InvocationThreshold=100"), null);
        assertFalse(ownThreshold.contains("-XX:Tier4CompileThreshold=45000"), ownThreshold::toString);
        List<String> configured = options("-XX:-TieredCompilation", "quick").forChild(List.of(), null);
        assertFalse(configured.contains("-XX:TieredStopAtLevel=1"), configured::toString);
    }

    @Test
    void initialHeapStaysBelowAUsersSmallerMaximum() {
        assertTrue(options(null, null).forChild(List.of("-Xmx96m"), null).contains("-Xms8m"));
        assertFalse(options(null, null).forChild(List.of("-Xmx6m"), null).contains("-Xms8m"),
                "-Xms8m with -Xmx6m: the JVM would refuse to start");
        assertFalse(options("-XX:MaxHeapSize=4194304", null).forChild(List.of(), null).contains("-Xms8m"));
        assertTrue(options("-Xmx4m", null).forChild(List.of("-Xmx1g"), null).contains("-Xms8m"), "the last one wins");
        assertEquals(Long.MAX_VALUE, ChildJvmOptions.maxHeapBytes(List.of("-Xmxlots")), "the JVM reports that one");
        assertEquals(512L << 10, ChildJvmOptions.maxHeapBytes(List.of("-Xmx512K")));
    }

    @Test
    void anUnknownJitSettingIsAnErrorThatNamesTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> options(null, "fast"));
        assertTrue(e.getMessage().contains("full, quick or jvm"), e.getMessage());
    }

    @Test
    void childrenTrimTheirNativeHeapWhereTheJdkCanUnlessTheCallSaysOtherwise() {
        boolean supported = ChildJvmOptions.hasVmOption("TrimNativeHeapInterval");
        assertEquals(supported, options(null, null).forChild(List.of(), null).contains("-XX:TrimNativeHeapInterval=1000"));
        List<String> own = options(null, null).forChild(List.of("-XX:TrimNativeHeapInterval=0"), null);
        assertEquals(1, own.stream().filter(o -> o.startsWith("-XX:TrimNativeHeapInterval")).count(), own::toString);
        assertFalse(ChildJvmOptions.hasVmOption("NoSuchOptionAnywhere"));
        assertTrue(ChildJvmOptions.hasVmOption("UseSerialGC"));
    }
}
