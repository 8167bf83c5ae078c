package dev.trampoline.itests;

import static dev.trampoline.itests.DeployFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.trampoline.runtime.remote.CallOptions;
import dev.trampoline.runtime.remote.RemoteExecutor;
import dev.trampoline.runtime.remote.RemoteTask;

/** A call's own JVM options and environment, and what a child does and does not do besides serving calls. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChildOptionsTest {

    DeployFixture fx;
    RemoteExecutor executor;

    @BeforeAll
    void start(@TempDir Path root) throws Exception {
        fx = DeployFixture.forRemoteCalls(root, java.util.Map.of("trampoline.remote.allow", "dev.trampoline.itests.*"));
        executor = fx.executor();
    }

    @AfterAll
    void stop() {
        fx.close();
    }

    @Test
    void jvmOptionsAndEnvironmentReachTheirOwnChild() throws Exception {
        CallOptions options = CallOptions.DEFAULT.withJvmOptions(List.of("-Dtrampoline.test.option=42", "-Xmx96m"))
                .withEnvironment(java.util.Map.of("TRAMPOLINE_TEST_ENV", "from the parent"));
        RemoteTask<String> task = context -> System.getProperty("trampoline.test.option") + " / "
                + System.getenv("TRAMPOLINE_TEST_ENV") + " / " + Runtime.getRuntime().maxMemory() / (1024 * 1024);

        String seen = (String) await(executor.run(task, options));

        assertTrue(seen.startsWith("42 / from the parent / "), seen);
        assertTrue(Long.parseLong(seen.replaceAll(".* / ", "")) <= 96, "-Xmx96m applies: " + seen);
        assertEquals("null / null", await(executor.run(context -> System.getProperty("trampoline.test.option")
                + " / " + System.getenv("TRAMPOLINE_TEST_ENV"), CallOptions.DEFAULT)), "a different child by default");
    }

    @Test
    void childWithAMaximumHeapBelowTheDefaultInitialOneStarts() throws Exception {
        // Children start with -Xms8m; next to a smaller -Xmx the JVM would refuse to start at all.
        CallOptions small = CallOptions.DEFAULT.withJvmOptions(List.of("-Xmx7m"));

        long max = (Long) await(executor.run(context -> Runtime.getRuntime().maxMemory(), small));

        assertTrue(max <= 8L << 20, "the call ran with the small heap (the JVM aligns it): " + max);
    }

    @Test
    void childKeepsNoCopyOfItsBundlesOfItsOwn() throws Exception {
        // Its own bundles starting are bundle events in the child; a child that starts no children must not
        // answer them by copying every bundle into a store (it did, right after its start).
        RemoteTask<Long> storedJars = context -> {
            Thread.sleep(600); // past the 100 ms a bundle-set change waits to settle
            Path storage = Path.of(context.getProperty("org.osgi.framework.storage"));
            try (var files = Files.walk(storage)) {
                return files.filter(f -> f.toString().contains("/data/store/") && f.toString().endsWith(".jar"))
                        .count();
            }
        };

        assertEquals(0L, await(executor.run(storedJars, CallOptions.DEFAULT.withFresh(true))));
    }

    @Test
    void childWhoseJvmPrintsToStdoutBeforeItsChannelOpensStillWorks() throws Exception {
        // --show-version prints to stdout, as a profiling agent's banner does, before the child can redirect it
        CallOptions options = CallOptions.DEFAULT.withJvmOptions(List.of("--show-version"));

        assertEquals("from a chatty JVM", await(executor.run(context -> "from a chatty JVM", options)));
    }
}
