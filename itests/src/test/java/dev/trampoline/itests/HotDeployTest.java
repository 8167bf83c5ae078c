package dev.trampoline.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;

import dev.trampoline.runtime.deploy.DeployedArtifact;

/** The deploy folder against a real embedded Felix: every file operation a user can make. */
class HotDeployTest {

    @TempDir
    Path root;
    DeployFixture fx;

    @BeforeEach
    void start() throws Exception {
        fx = new DeployFixture(root);
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    @Test
    void droppedJarIsInstalledAndStarted() throws Exception {
        TestBundle.supplier("drop.me", "1.0.0", "v1").writeTo(fx.deploy.resolve("drop.jar"));

        Eventually.until("drop.me is ACTIVE", () -> fx.isActive("drop.me"), fx::describe);
        assertEquals("v1", fx.supplied("drop.me"));
        Bundle b = fx.bundle("drop.me").orElseThrow();
        assertEquals(fx.deploy.resolve("drop.jar").toUri().toString(), b.getLocation(),
                "the bundle keeps the jar's file: URI as its location");
        DeployedArtifact a = fx.artifact("drop.jar").orElseThrow();
        assertEquals("ACTIVE", a.state());
        assertEquals(b.getBundleId(), a.bundleId());
        assertNull(a.error());
    }

    @Test
    void replacedJarIsUpdatedAndRefreshed() throws Exception {
        Path jar = fx.deploy.resolve("app.jar");
        TestBundle.supplier("app", "1.0.0", "v1").writeTo(jar);
        Eventually.until("v1 answers", () -> "v1".equals(fx.supplied("app")), fx::describe);
        long id = fx.bundle("app").orElseThrow().getBundleId();

        TestBundle.supplier("app", "2.0.0", "v2").writeTo(jar);

        Eventually.until("v2 answers", () -> "v2".equals(fx.supplied("app")), fx::describe);
        Bundle b = fx.bundle("app").orElseThrow();
        assertEquals(id, b.getBundleId(), "updated in place, not reinstalled");
        assertEquals("2.0.0", b.getVersion().toString());
        // Its activator registers the service before the framework marks it ACTIVE.
        Eventually.until("app is ACTIVE", () -> b.getState() == Bundle.ACTIVE, fx::describe);
    }

    @Test
    void clientOfAReplacedApiIsRefreshedOntoTheNewClasses() throws Exception {
        TestBundle.api("api", "test.msg", "old").writeTo(fx.deploy.resolve("api.jar"));
        TestBundle.client("client", "test.msg").writeTo(fx.deploy.resolve("client.jar"));
        Eventually.until("client answers old", () -> "old".equals(fx.supplied("client")), fx::describe);

        TestBundle.api("api", "test.msg", "new").writeTo(fx.deploy.resolve("api.jar"));

        Eventually.until("client answers new after the refresh", () -> "new".equals(fx.supplied("client")),
                fx::describe);
    }

    @Test
    void deletedJarIsUninstalled() throws Exception {
        Path jar = TestBundle.supplier("gone", "1.0.0", "x").writeTo(fx.deploy.resolve("gone.jar"));
        Eventually.until("gone is ACTIVE", () -> fx.isActive("gone"), fx::describe);

        Files.delete(jar);

        Eventually.until("gone is uninstalled", () -> fx.bundle("gone").isEmpty(), fx::describe);
        Eventually.until("the deployer forgot the file", () -> fx.artifact("gone.jar").isEmpty(), fx::describe);
    }

    @Test
    void fragmentIsInstalledAndAttachedButNotStarted() throws Exception {
        TestBundle.supplier("host", "1.0.0", "h").writeTo(fx.deploy.resolve("host.jar"));
        Eventually.until("host is ACTIVE", () -> fx.isActive("host"), fx::describe);

        TestBundle.named("frag", "1.0.0").header("Fragment-Host", "host").writeTo(fx.deploy.resolve("frag.jar"));

        Eventually.until("frag is RESOLVED (attached to its host)", () -> fx.state("frag") == Bundle.RESOLVED,
                fx::describe);
        Eventually.until("the host is started again after the refresh", () -> fx.isActive("host"), fx::describe);
        assertNull(fx.artifact("frag.jar").orElseThrow().error());
    }

    @Test
    void batchWithInterDependencyResolvesWhateverTheOrder() throws Exception {
        // Written in the "wrong" order (client first) and as one batch: the deployer must install both before
        // it starts either.
        byte[] client = TestBundle.client("b.client", "test.batch").build();
        byte[] api = TestBundle.api("a.api", "test.batch", "batched").build();
        Path staging = Files.createDirectories(root.resolve("staging"));
        Files.write(staging.resolve("0-client.jar"), client);
        Files.write(staging.resolve("1-api.jar"), api);
        Files.move(staging.resolve("0-client.jar"), fx.deploy.resolve("0-client.jar"), StandardCopyOption.ATOMIC_MOVE);
        Files.move(staging.resolve("1-api.jar"), fx.deploy.resolve("1-api.jar"), StandardCopyOption.ATOMIC_MOVE);

        Eventually.until("client answers", () -> "batched".equals(fx.supplied("b.client")), fx::describe);
        Eventually.until("a.api is ACTIVE too", () -> fx.isActive("a.api"), fx::describe);
        awaitErrorCleared("0-client.jar"); // reported if the client was scanned before its API arrived
    }

    /**
     * A bundle's service appears while the deployer's start() runs, and the deployer records the outcome after
     * it: a reason reported earlier is cleared a moment after the bundle answers.
     */
    private void awaitErrorCleared(String file) {
        Eventually.until(file + " has no error once its bundle started",
                () -> fx.artifact(file).orElseThrow().error() == null, fx::describe);
    }

    @Test
    void unresolvableBundleWaitsWithItsReasonAndStartsWhenItsDependencyArrives() throws Exception {
        TestBundle.client("lonely", "test.missing").writeTo(fx.deploy.resolve("lonely.jar"));

        Eventually.until("the missing requirement is reported",
                () -> fx.artifact("lonely.jar").map(DeployedArtifact::error).orElse("").contains("test.missing"),
                fx::describe);
        assertEquals(Bundle.INSTALLED, fx.state("lonely"), "an unresolvable bundle stays INSTALLED");
        assertEquals("INSTALLED", fx.artifact("lonely.jar").orElseThrow().state());

        TestBundle.api("provider", "test.missing", "found").writeTo(fx.deploy.resolve("provider.jar"));

        Eventually.until("lonely answers once its package arrived", () -> "found".equals(fx.supplied("lonely")),
                fx::describe);
        awaitErrorCleared("lonely.jar");
    }

    @Test
    void unresolvableBundleIsLoggedOncePerCauseNotOnEveryRetry() throws Exception {
        TestBundle.client("once", "test.once").writeTo(fx.deploy.resolve("once.jar"));
        Eventually.until("reported", () -> fx.artifact("once.jar").map(a -> a.error() != null).orElse(false),
                fx::describe);
        for (int i = 0; i < 3; i++) { // each new bundle makes the deployer retry the waiting one
            TestBundle.supplier("unrelated" + i, "1.0.0", "u").writeTo(fx.deploy.resolve("unrelated" + i + ".jar"));
            final int n = i;
            Eventually.until("unrelated" + n + " is ACTIVE", () -> fx.isActive("unrelated" + n), fx::describe);
        }
        Eventually.until("the log file has the error", () -> errorLines("test.once") >= 1, fx::describe);
        Thread.sleep(300); // the Log Service delivers to the file asynchronously

        assertEquals(1, errorLines("test.once"), () -> "one cause, one log entry:\n" + logText());
    }

    private String logText() {
        try {
            return Files.readString(fx.logFile());
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    /**
     * The deployer's ERROR entries naming {@code text}. Not the framework's own diagnostics ({@code [framework]},
     * in the file only): when a start level is set on the bundle the deployer could not start, the framework
     * may try to start it itself and say so, once, depending on timing.
     */
    private long errorLines(String text) {
        try {
            return Files.readAllLines(fx.logFile()).stream().filter(l -> l.contains(" ERROR ") && l.contains(text)
                    && l.contains("[dev.trampoline.runtime.core]")).count();
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    @Test
    void unresolvableBundleStartsWhenItsDependencyIsInstalledOutsideTheFolder() throws Exception {
        TestBundle.client("waiting", "test.elsewhere").writeTo(fx.deploy.resolve("waiting.jar"));
        Eventually.until("waiting reports its missing package",
                () -> fx.artifact("waiting.jar").map(DeployedArtifact::error).orElse("").contains("test.elsewhere"),
                fx::describe);

        fx.runtime().install("test:elsewhere",
                new java.io.ByteArrayInputStream(TestBundle.api("elsewhere", "test.elsewhere", "ok").build()));

        Eventually.until("waiting answers", () -> "ok".equals(fx.supplied("waiting")), fx::describe);
    }

    @Test
    void corruptJarIsReportedAndOtherBundlesAreUnaffected() throws Exception {
        TestBundle.supplier("healthy", "1.0.0", "fine").writeTo(fx.deploy.resolve("healthy.jar"));
        Path corrupt = root.resolve("corrupt.jar");
        Files.write(corrupt, "PK\u0003\u0004 this is not really a zip".getBytes());
        Files.setLastModifiedTime(corrupt, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        Files.move(corrupt, fx.deploy.resolve("corrupt.jar"));

        Eventually.until("the corrupt jar is reported",
                () -> fx.artifact("corrupt.jar").map(DeployedArtifact::error).orElse("").contains("corrupt"),
                fx::describe);
        Eventually.until("healthy is ACTIVE", () -> fx.isActive("healthy"), fx::describe);
        assertEquals("FAILED", fx.artifact("corrupt.jar").orElseThrow().state());
        assertEquals(-1, fx.artifact("corrupt.jar").orElseThrow().bundleId());

        // Fixing the file (new content) is what makes the deployer try again.
        TestBundle.supplier("fixed", "1.0.0", "repaired").writeTo(fx.deploy.resolve("corrupt.jar"));
        Eventually.until("the repaired jar is deployed", () -> "repaired".equals(fx.supplied("fixed")), fx::describe);
        awaitErrorCleared("corrupt.jar");
    }

    @Test
    void jarWithoutSymbolicNameIsRejectedWithAClearError() throws Exception {
        Path plain = root.resolve("plain.jar");
        java.util.jar.Manifest m = new java.util.jar.Manifest();
        m.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        try (OutputStream out = Files.newOutputStream(plain);
                java.util.jar.JarOutputStream jar = new java.util.jar.JarOutputStream(out, m)) {
            jar.putNextEntry(new java.util.jar.JarEntry("readme.txt"));
            jar.write("not a bundle".getBytes());
        }
        Files.move(plain, fx.deploy.resolve("plain.jar"));

        Eventually.until("plain.jar is reported",
                () -> fx.artifact("plain.jar").map(DeployedArtifact::error).orElse("").contains("Bundle-SymbolicName"),
                fx::describe);
        assertEquals(-1, fx.artifact("plain.jar").orElseThrow().bundleId());
    }

    @Test
    void duplicateSymbolicNameAndVersionIsRejectedNamingTheOtherBundle() throws Exception {
        TestBundle.supplier("twin", "1.0.0", "first").writeTo(fx.deploy.resolve("first.jar"));
        Eventually.until("first twin is ACTIVE", () -> fx.isActive("twin"), fx::describe);

        TestBundle.supplier("twin", "1.0.0", "second").writeTo(fx.deploy.resolve("second.jar"));

        Eventually.until("the duplicate is reported",
                () -> fx.artifact("second.jar").map(DeployedArtifact::error).orElse("").contains("already installed"),
                fx::describe);
        String error = fx.artifact("second.jar").orElseThrow().error();
        assertTrue(error.contains("first.jar"), error);
        assertEquals("first", fx.supplied("twin"), "the bundle already there is untouched");
    }

    @Test
    void slowlyWrittenJarIsInstalledOnlyOnceComplete() throws Exception {
        byte[] content = TestBundle.supplier("slow", "1.0.0", "complete").build();
        Path target = fx.deploy.resolve("slow.jar");
        try (OutputStream out = Files.newOutputStream(target)) {
            // Longer pauses than the deployer's quiet period: it sees an unchanged, unreadable file several times.
            int chunk = Math.max(1, content.length / 5);
            for (int i = 0; i < content.length; i += chunk) {
                assertTrue(fx.bundle("slow").isEmpty(), "a half-written jar must never be installed");
                out.write(content, i, Math.min(chunk, content.length - i));
                out.flush();
                Thread.sleep(300);
            }
        }

        Eventually.until("slow is ACTIVE", () -> fx.isActive("slow"), fx::describe);
        assertEquals("complete", fx.supplied("slow"));
        assertNull(fx.artifact("slow.jar").orElseThrow().error());
    }

    @Test
    void hiddenAndTemporaryNamesAreIgnoredSoWriteThenRenameWorks() throws Exception {
        byte[] content = TestBundle.supplier("renamed", "1.0.0", "r").build();
        for (String name : new String[] {".hidden.jar", "download.jar.part", "copy.tmp", "browser.crdownload"}) {
            Files.write(fx.deploy.resolve(name), content);
        }
        Thread.sleep(500); // several scans
        assertTrue(fx.bundle("renamed").isEmpty(), "nothing is installed from hidden or temporary names");
        assertTrue(fx.deployService().artifacts().isEmpty(), fx.describe());

        Files.move(fx.deploy.resolve("download.jar.part"), fx.deploy.resolve("download.jar"));

        Eventually.until("renamed is ACTIVE", () -> fx.isActive("renamed"), fx::describe);
    }

    @Test
    void touchedButUnchangedJarIsNotUpdated() throws Exception {
        Path jar = TestBundle.supplier("touched", "1.0.0", "t").writeTo(fx.deploy.resolve("touched.jar"));
        Eventually.until("touched is ACTIVE", () -> fx.isActive("touched"), fx::describe);
        long modified = fx.bundle("touched").orElseThrow().getLastModified();

        Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        Thread.sleep(500);

        assertEquals(modified, fx.bundle("touched").orElseThrow().getLastModified(), "same bytes: no update");
    }

    @Test
    void bundleStoppedByTheUserStaysStopped() throws Exception {
        TestBundle.supplier("stoppable", "1.0.0", "s").writeTo(fx.deploy.resolve("stoppable.jar"));
        Eventually.until("stoppable is ACTIVE", () -> fx.isActive("stoppable"), fx::describe);

        fx.bundle("stoppable").orElseThrow().stop();
        TestBundle.supplier("other", "1.0.0", "o").writeTo(fx.deploy.resolve("other.jar")); // a new scan and batch
        Eventually.until("other is ACTIVE", () -> fx.isActive("other"), fx::describe);

        assertFalse(fx.isActive("stoppable"), "the deployer does not restart what the user stopped");
        assertNotNull(fx.bundle("stoppable").orElse(null));
        assertEquals(0, Arrays.stream(fx.runtime().bundleContext().getBundles())
                .filter(b -> "stoppable".equals(b.getSymbolicName())).filter(b -> b.getState() == Bundle.ACTIVE).count());
    }
}
