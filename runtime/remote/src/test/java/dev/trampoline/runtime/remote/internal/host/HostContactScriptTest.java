package dev.trampoline.runtime.remote.internal.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.trampoline.runtime.contract.internal.ContentHash;

/** The first-contact scripts run by this machine's own sh, as a host's login shell runs them. */
class HostContactScriptTest {

    @TempDir
    Path dir;

    private record Run(int exit, String out) {
    }

    private static Run sh(String script, Path stdin, String... parameters) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("sh", "-c", script, "sh"));
        command.addAll(List.of(parameters));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (stdin != null) {
            pb.redirectInput(stdin.toFile());
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out);
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Test
    void inspectMakesAPrivateWorkFolderPrintsTheJdkAndSaysWhetherTheJarIsThereWhole() throws Exception {
        Path work = dir.resolve("my work $HOME");
        Path jar = Files.writeString(dir.resolve("launcher.jar"), "jar bytes");
        String hash = ContentHash.sha256(Files.readAllBytes(jar));
        String size = Long.toString(Files.size(jar));
        Run first = sh(HostContact.INSPECT, null, work.toString(), java(), hash, size);
        assertEquals(0, first.exit(), first.out());
        assertTrue(first.out().contains("version \""), first.out());
        assertFalse(first.out().contains(HostContact.PRESENT), first.out());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(work)));

        Run copy = sh(HostContact.COPY, jar, work.toString(), hash, size);
        assertEquals(0, copy.exit(), copy.out());
        assertEquals("jar bytes", Files.readString(work.resolve("launcher/" + hash + ".jar")));
        Run second = sh(HostContact.INSPECT, null, work.toString(), java(), hash, size);
        assertTrue(second.out().contains(HostContact.PRESENT), second.out());

        Run otherSize = sh(HostContact.INSPECT, null, work.toString(), java(), hash, "12");
        assertFalse(otherSize.out().contains(HostContact.PRESENT), "a jar of another size is not it");
    }

    @Test
    void aCopyCutOffOrCorruptedIsNeverTakenForTheJar() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work/launcher")).getParent();
        Path jar = Files.writeString(dir.resolve("launcher.jar"), "jar bytes");
        String hash = ContentHash.sha256(Files.readAllBytes(jar));
        Path cut = Files.writeString(dir.resolve("cut.jar"), "jar by"); // the client died after 6 bytes

        Run shorter = sh(HostContact.COPY, cut, work.toString(), hash, Long.toString(Files.size(jar)));
        assertEquals(92, shorter.exit(), shorter.out());
        assertTrue(shorter.out().contains("the copy ended after 6 of 9 bytes"), shorter.out());
        Path forged = Files.writeString(dir.resolve("forged.jar"), "jar bytez");
        Run wrong = sh(HostContact.COPY, forged, work.toString(), hash, "9");
        assertEquals(92, wrong.exit(), wrong.out());
        try (var files = Files.list(work.resolve("launcher"))) {
            assertEquals(List.of(), files.toList(), "neither the jar nor a temporary file");
        }
    }

    @Test
    void anExistingWorkFolderIsUsedAsItIsAndOneOfAnotherUserIsRefused() throws Exception {
        Path shared = Files.createDirectories(dir.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
        Run own = sh(HostContact.INSPECT, null, shared.toString(), java(), "abc", "1");
        assertEquals(0, own.exit(), own.out());
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(shared)),
                "a folder the user made is never chmod-ed");
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "only root can give a folder away");
        Path foreign = Files.createDirectories(dir.resolve("foreign"));
        Files.setOwner(foreign, foreign.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        Run refused = sh(HostContact.INSPECT, null, foreign.toString(), java(), "abc", "1");
        assertEquals(90, refused.exit(), refused.out());
        assertTrue(refused.out().contains("is not the login's own folder"), refused.out());
    }

    @Test
    void inspectRemovesTheFoldersOfDeadChildrenOnly() throws Exception {
        Path children = Files.createDirectories(dir.resolve("work/children"));
        Path dead = Files.createDirectories(children.resolve("child1/cache"));
        Files.writeString(dead.getParent().resolve("pid"), "2147483646");
        Path alive = Files.createDirectories(children.resolve("child2"));
        Files.writeString(alive.resolve("pid"), Long.toString(ProcessHandle.current().pid()));
        Path newborn = Files.createDirectories(children.resolve("child3")); // no pid written yet
        Path orphanedNewborn = Files.createDirectories(children.resolve("child4"));
        Files.setLastModifiedTime(orphanedNewborn, FileTime.from(Instant.now().minusSeconds(600)));

        Run run = sh(HostContact.INSPECT, null, dir.resolve("work").toString(), java(), "abc", "1");

        assertEquals(0, run.exit(), run.out());
        assertFalse(Files.exists(dead.getParent()), "its process is gone");
        assertTrue(Files.exists(alive), "its process runs");
        assertTrue(Files.exists(newborn), "its child may be about to write its pid");
        assertFalse(Files.exists(orphanedNewborn), "no pid ten minutes after it was made");
        assertEquals(2, run.out().lines().filter(HostContact.SWEPT::equals).count(), run.out());
    }

    @Test
    void inspectRemovesLauncherJarsAndBundlesUnusedForThirtyDaysButNotTheCurrentJar() throws Exception {
        Path work = dir.resolve("work");
        Path current = Files.createDirectories(work.resolve("launcher")).resolve("abc.jar");
        Path old = work.resolve("launcher/old.jar");
        Path oldBundle = Files.createDirectories(work.resolve("store")).resolve("0ld.jar");
        Path usedBundle = work.resolve("store/used.jar");
        FileTime longAgo = FileTime.from(Instant.now().minusSeconds(40L * 24 * 3600));
        for (Path p : List.of(current, old, oldBundle, usedBundle)) {
            Files.writeString(p, "x");
            Files.setLastModifiedTime(p, longAgo);
        }
        Files.setLastModifiedTime(usedBundle, FileTime.from(Instant.now()));

        Run run = sh(HostContact.INSPECT, null, work.toString(), java(), "abc", "1");

        assertEquals(0, run.exit(), run.out());
        assertTrue(Files.exists(current) && Files.exists(usedBundle), "in use");
        assertFalse(Files.exists(old) || Files.exists(oldBundle), "unused for 40 days");
        assertTrue(run.out().contains(HostContact.PRESENT), "the current jar was kept whole: " + run.out());
    }

    @Test
    void inspectWithoutJavaExitsSoThatTheContactCanSaySo() throws Exception {
        Run run = sh(HostContact.INSPECT, null, dir.toString(), dir.resolve("no-java").toString(), "abc", "1");
        assertEquals(91, run.exit(), run.out());
    }
}
