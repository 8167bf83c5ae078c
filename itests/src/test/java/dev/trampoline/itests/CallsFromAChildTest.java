package dev.trampoline.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.ServiceReference;

import dev.trampoline.runtime.remote.CallOptions;
import dev.trampoline.runtime.remote.RemoteExecutor;
import dev.trampoline.runtime.remote.RemoteTask;

/** Code running in a child uses the child's own executor: its calls run in children of that child. */
class CallsFromAChildTest {

    @Test
    void aTaskInAChildCanRunATaskInAChildOfItsOwn(@TempDir Path root) throws Exception {
        RemoteTask<String> task = context -> {
            boolean poolBefore = poolThreadsRunning();
            ServiceReference<RemoteExecutor> ref = context.getServiceReference(RemoteExecutor.class);
            RemoteExecutor own = context.getService(ref);
            try {
                RemoteTask<Long> inner = c -> ProcessHandle.current().pid();
                // A time limit, so that a grandchild that never comes up fails the test instead of hanging it.
                long grandchild = own.run(inner, CallOptions.DEFAULT.withTimeout(java.time.Duration.ofSeconds(60)))
                        .getValue();
                long itsParent = ProcessHandle.of(grandchild).flatMap(ProcessHandle::parent).map(ProcessHandle::pid)
                        .orElse(-1L);
                return ProcessHandle.current().pid() + " " + grandchild + " " + itsParent + " " + poolBefore + " "
                        + poolThreadsRunning();
            } finally {
                context.ungetService(ref);
            }
        };

        // Fresh: the child and the grandchildren it started go when the call is over.
        String[] pids;
        try (DeployFixture fx = DeployFixture.forRemoteCalls(root, Map.of())) {
            pids = ((String) DeployFixture.await(fx.executor().run(task, CallOptions.DEFAULT.withFresh(true))))
                    .split(" ");
        }

        assertNotEquals(pids[0], pids[1], "the inner task ran in another process");
        assertEquals(pids[0], pids[2], "started by the child that ran the outer task");
        assertNotEquals(String.valueOf(ProcessHandle.current().pid()), pids[0]);
        assertEquals("false", pids[3], "a child starts its own pool only when it makes a call of its own");
        assertEquals("true", pids[4], "and then it does");
    }

    /**
     * A child takes the hashes of the bundles it booted with from its launcher rather than hashing them again;
     * one it updated before its first call of its own must be captured anew, or its children would run the old one.
     */
    @Test
    void aBundleUpdatedInAChildRunsUpdatedInThatChildsOwnChildren(@TempDir Path root) throws Exception {
        byte[] second = TestBundle.supplier("swapped", "2.0.0", "second").build();
        RemoteTask<String> task = context -> {
            org.osgi.framework.Bundle swapped = java.util.Arrays.stream(context.getBundles())
                    .filter(b -> "swapped".equals(b.getSymbolicName())).findFirst().orElseThrow();
            swapped.update(new java.io.ByteArrayInputStream(second));
            ServiceReference<RemoteExecutor> ref = context.getServiceReference(RemoteExecutor.class);
            try {
                RemoteTask<String> inner = c -> {
                    ServiceReference<?> supplier = c.getServiceReferences(java.util.function.Supplier.class.getName(),
                            "(test.name=swapped)")[0];
                    return String.valueOf(((java.util.function.Supplier<?>) c.getService(supplier)).get());
                };
                return context.getService(ref).run(inner, CallOptions.DEFAULT.withTimeout(java.time.Duration.ofSeconds(60)))
                        .getValue();
            } finally {
                context.ungetService(ref);
            }
        };

        try (DeployFixture fx = DeployFixture.forRemoteCalls(root, Map.of())) {
            TestBundle.supplier("swapped", "1.0.0", "first").writeTo(fx.deploy.resolve("swapped.jar"));
            Eventually.until("the first version is active", () -> fx.isActive("swapped"));
            String answer = (String) DeployFixture.await(fx.executor().run(task, CallOptions.DEFAULT.withFresh(true)));
            assertEquals("second", answer, "the grandchild runs the bundle as the child updated it");
        }
    }

    /**
     * Through the executable jar, the class path a class-data archive can be made for. A deployed bundle's
     * service makes a call of its own from the child it runs in, and reports how the grandchild started.
     */
    @Test
    void aChildsOwnChildrenBootFromItsParentsPreparedCacheAndClassDataArchive(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("deploy"));
        nestedCallBundle().writeTo(root.resolve("deploy/nested.jar"));
        try (LauncherProcess p = LauncherProcess.start(root)) {
            // The first child makes the snapshot's prepared cache; a training child beside it, the archive.
            p.type("tramp:call --fresh '(test.name=nested)' get\n");
            Eventually.until("the first nested call answered", () -> p.out().contains("GRANDCHILD"), p::describe);
            Eventually.until("the training child wrote the archive", () -> archive(root) != null, p::describe);

            p.type("tramp:call --fresh '(test.name=nested)' get\n");
            Eventually.until("the second nested call answered",
                    () -> p.out().split("GRANDCHILD", -1).length == 3, p::describe);
            String report = p.out().substring(p.out().lastIndexOf("GRANDCHILD"));
            String storage = root.resolve(".trampoline").toRealPath().toString();
            assertTrue(report.contains("cache=prepared"), "booted from the parent's prepared cache: " + report);
            assertTrue(report.contains("SNAPSHOT " + storage), "its snapshot is in the parent's store: " + report);
            assertTrue(report.contains(ChildArchives.useOption(archive(root))),
                    "it maps the parent's archive: " + report);
            assertFalse(ChildArchives.trains(report), "it trained no archive of its own: " + report);

            p.type("stop 0\n"); // its children gone before the folder is: they write to it as they leave
            assertEquals(0, p.exitCode(), p.describe());
        }
    }

    /** A bundle whose Supplier runs a task in a child of the JVM it runs in and returns what that child saw. */
    private static TestBundle nestedCallBundle() {
        return TestBundle.named("nested", "1.0.0")
                .importing("dev.trampoline.runtime.remote,org.osgi.util.promise")
                .source("act.nested.Nested", """
                        package act.nested;
                        import dev.trampoline.runtime.remote.*;
                        public final class Nested {
                          public static String grandchild(org.osgi.framework.BundleContext c) {
                            var ref = c.getServiceReference(RemoteExecutor.class);
                            try {
                              RemoteTask<String> inner = x -> "GRANDCHILD " + System.getProperty("trampoline.child.phases")
                                  + " SNAPSHOT " + System.getProperty("trampoline.child.snapshot") + " ARGS "
                                  + String.join(" ", java.lang.management.ManagementFactory.getRuntimeMXBean()
                                      .getInputArguments()) + " END";
                              return c.getService(ref).run(inner,
                                  CallOptions.DEFAULT.withTimeout(java.time.Duration.ofSeconds(60))).getValue();
                            } catch (Exception e) {
                              return "FAILED " + e;
                            } finally {
                              c.ungetService(ref);
                            }
                          }
                        }
                        """)
                .activatorSupplying("act.nested.Nested.grandchild(c)");
    }

    private static Path archive(Path root) {
        try (Stream<Path> files = Files.walk(root.resolve(".trampoline"))) {
            return files.filter(f -> f.getFileName().toString().matches(ChildArchives.FILE_NAME)).findFirst().orElse(null);
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return null; // files come and go while children start
        }
    }

    /** Whether this JVM runs the threads of a started child pool (its timer, its callback threads). */
    static boolean poolThreadsRunning() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith("trampoline-remote-"));
    }
}
