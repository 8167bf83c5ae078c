package dev.trampoline.itests;

import static dev.trampoline.itests.DeployFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.ServiceReference;

import dev.trampoline.runtime.remote.CallOptions;

/**
 * The copies of the bundles children install are captured once per revision: a restart takes them from the
 * capture index in the content store (same bundle, same last-modified time, copy still stored) instead of
 * reading and zipping every bundle again, and a child still gets exactly the revisions the parent runs.
 */
class CaptureAcrossRestartTest {

    private static final Pattern KNOWN = Pattern.compile(
            "Bundle copies for children: (\\d+) of (\\d+) known from the last run");

    @TempDir
    Path root;
    DeployFixture fx;

    @AfterEach
    void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void aRestartKnowsUnchangedBundlesWithoutCapturingThemAndAnUpdatedOneIsCapturedAgain() throws Exception {
        fx = DeployFixture.forRemoteCalls(root, Map.of(DeployFixture.LOG_LEVEL, "DEBUG"));
        for (Path jar : Examples.jacksonBundles()) {
            Files.copy(jar, fx.deploy.resolve(jar.getFileName()));
        }
        JobsPlugin.bundle("v1").writeTo(fx.deploy.resolve("jobs.jar"));
        Eventually.until("the jobs plugin is ACTIVE", () -> fx.isActive(JobsPlugin.SYMBOLIC_NAME), fx::describe);
        assertEquals("v1", revisionInAChild(), "the first run's child");
        int bundles = fx.runtime().bundleContext().getBundles().length - 1;

        int lines = knownLines().size();
        fx.restart();

        assertEquals(List.of(bundles, bundles), lineAfter(lines), "every copy known after the restart");
        assertEquals("v1", revisionInAChild(), "a child installs the copies the index named");

        long before = fx.bundle(JobsPlugin.SYMBOLIC_NAME).orElseThrow().getLastModified();
        JobsPlugin.bundle("v2").writeTo(fx.deploy.resolve("jobs.jar"));
        Eventually.until("jobs updated", () -> fx.bundle(JobsPlugin.SYMBOLIC_NAME)
                .map(b -> b.getLastModified() != before && fx.isActive(JobsPlugin.SYMBOLIC_NAME)).orElse(false),
                fx::describe);
        assertEquals("v2", revisionInAChild(), "the update captured");
        lines = knownLines().size();
        fx.restart();

        assertEquals(List.of(bundles, bundles), lineAfter(lines), "the update recorded as well");
        assertEquals("v2", revisionInAChild());
    }

    @Test
    void aCopyMissingFromTheStoreIsCapturedAgain() throws Exception {
        fx = DeployFixture.forRemoteCalls(root, Map.of(DeployFixture.LOG_LEVEL, "DEBUG"));
        JobsPlugin.bundle("v1").writeTo(fx.deploy.resolve("jobs.jar"));
        Eventually.until("the jobs plugin is ACTIVE", () -> fx.isActive(JobsPlugin.SYMBOLIC_NAME), fx::describe);
        assertEquals("v1", revisionInAChild());
        int bundles = fx.runtime().bundleContext().getBundles().length - 1;
        int logged = knownLines().size();
        fx.runtime().close();
        Path index = captureIndex();
        List<String> indexed = Files.readAllLines(index);
        String jobsLine = indexed.stream().filter(l -> l.contains("jobs.jar")).findFirst()
                .orElseThrow(() -> new AssertionError("jobs.jar in the index: " + indexed));
        Files.delete(index.resolveSibling(jobsLine.split(" ")[2] + ".jar"));

        fx.start();

        assertEquals(List.of(bundles - 1, bundles), lineAfter(logged));
        assertEquals("v1", revisionInAChild(), "captured again, and the child got it");
    }

    /** The jobs plugin's revision, as a child reports it. */
    private String revisionInAChild() throws Exception {
        ServiceReference<?> jobs = fx.runtime().bundleContext().getServiceReferences((String) null,
                "(test.name=jobs)")[0];
        return (String) await(fx.executor().invoke(jobs, "revision", new Object[0], CallOptions.DEFAULT));
    }

    /** The capture lines the log has so far, as (known, of) pairs. */
    private List<List<Integer>> knownLines() {
        List<List<Integer>> found = new java.util.ArrayList<>();
        try {
            for (String line : Files.readAllLines(fx.logFile())) {
                Matcher m = KNOWN.matcher(line);
                if (m.find()) {
                    found.add(List.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return found;
    }

    /** The capture line of the start after the first {@code before} lines. */
    private List<Integer> lineAfter(int before) {
        Eventually.until("the restarted runtime logs its capture line", () -> knownLines().size() > before,
                () -> knownLines().toString());
        return knownLines().get(before);
    }

    private Path captureIndex() throws IOException {
        try (Stream<Path> files = Files.walk(fx.storage)) {
            return files.filter(p -> p.getFileName().toString().equals("captured.index")).findFirst()
                    .orElseThrow(() -> new AssertionError("no captured.index under " + fx.storage));
        }
    }
}
