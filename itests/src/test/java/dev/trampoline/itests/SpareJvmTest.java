package dev.trampoline.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.trampoline.runtime.remote.CallOptions;
import dev.trampoline.runtime.remote.RemoteTask;

/**
 * The spare JVM: started once a child with the default options was needed, it becomes the next such child
 * (boots that child's snapshot when asked), and another spare follows. It runs no bundle code before, and it
 * leaves nothing behind when its runtime stops or dies.
 */
class SpareJvmTest {

    private static final RemoteTask<Long> PID = context -> ProcessHandle.current().pid();
    private static final RemoteTask<String> PID_AND_PHASES = context -> ProcessHandle.current().pid() + " "
            + System.getProperty("trampoline.child.phases");

    @Test
    void theNextNewChildIsMadeOfTheSpareAndAnotherSpareFollows(@TempDir Path root) throws Exception {
        ProcessHandle spare;
        Path folder;
        try (DeployFixture fx = DeployFixture.forRemoteCalls(root, Map.of())) {
            long first = (Long) DeployFixture.await(fx.executor().run(PID, CallOptions.DEFAULT.withFresh(true)));
            spare = awaitSpare(ProcessHandle.current(), -1);
            assertNotEquals(first, spare.pid());

            String[] second = ((String) DeployFixture.await(fx.executor().run(PID_AND_PHASES,
                    CallOptions.DEFAULT.withFresh(true)))).split(" ", 2);
            assertEquals(String.valueOf(spare.pid()), second[0], "the second fresh child is the spare");
            assertTrue(second[1].contains("spare=prepared ahead"), "its framework was prepared ahead: " + second[1]);
            spare = awaitSpare(ProcessHandle.current(), Long.parseLong(second[0]));

            CallOptions ownOptions = CallOptions.DEFAULT.withFresh(true).withJvmOptions(List.of("-Dtest.own=yes"));
            long third = (Long) DeployFixture.await(fx.executor().run(PID, ownOptions));
            assertNotEquals(spare.pid(), third, "a child with JVM options of its own starts its own JVM");
            assertTrue(spare.isAlive(), "and the spare stays for the next child with the default options");
            folder = folderOf(spare);
        }
        ProcessHandle last = spare;
        Eventually.until("the spare exits with its runtime", () -> !last.isAlive());
        assertFalse(Files.exists(folder), "the spare's folder is gone: " + folder);
    }

    @Test
    void aBundleSetChangeReplacesTheSpareWithOnePreparedForTheNewSet(@TempDir Path root) throws Exception {
        RemoteTask<String> lateAndPhases = context -> {
            org.osgi.framework.ServiceReference<?>[] late = context.getServiceReferences(
                    java.util.function.Supplier.class.getName(), "(test.name=late)");
            return ProcessHandle.current().pid() + "|" + (late == null ? "none"
                    : ((java.util.function.Supplier<?>) context.getService(late[0])).get()) + "|"
                    + System.getProperty("trampoline.child.phases");
        };
        try (DeployFixture fx = DeployFixture.forRemoteCalls(root, Map.of())) {
            long first = (Long) DeployFixture.await(fx.executor().run(PID, CallOptions.DEFAULT.withFresh(true)));
            ProcessHandle old = awaitSpare(ProcessHandle.current(), first); // prepared for the bundle set then

            TestBundle.supplier("late", "1.0.0", "deployed later").writeTo(fx.deploy.resolve("late.jar"));
            Eventually.until("the later bundle is active", () -> fx.isActive("late"));
            ProcessHandle spare = awaitSpare(ProcessHandle.current(), old.pid());
            Eventually.until("the old spare leaves", () -> !old.isAlive());
            Path prepared = preparedCaches(fx);
            Eventually.until("the new set's framework cache is prepared before any call", () -> count(prepared) == 2);
            String[] answer = ((String) DeployFixture.await(fx.executor().run(lateAndPhases,
                    CallOptions.DEFAULT.withFresh(true)))).split("\\|");

            assertEquals(String.valueOf(spare.pid()), answer[0], "the new spare became that child");
            assertEquals("deployed later", answer[1], "and runs the current bundle set");
            assertTrue(answer[2].contains("spare=prepared ahead"), "prepared for it ahead: " + answer[2]);
        }
    }

    private static Path preparedCaches(DeployFixture fx) throws java.io.IOException {
        try (var files = Files.walk(fx.storage)) {
            return files.filter(p -> p.getFileName().toString().equals("prepared") && Files.isDirectory(p))
                    .findFirst().orElseThrow(() -> new AssertionError("no prepared caches under " + fx.storage));
        }
    }

    /** The complete prepared caches in {@code folder} (one being saved has a temporary name). */
    private static long count(Path folder) {
        try (var entries = Files.list(folder)) {
            return entries.filter(p -> !p.getFileName().toString().contains(".tmp-")).count();
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    /**
     * Fresh calls back to back leave no quiet moment for the next spare: once a call found none, the next spare
     * starts as soon as a child is wanted, so the calls after it are made of spares prepared ahead.
     */
    @Test
    void freshCallsBackToBackAreMadeOfSparesOnceTheRunIsNoticed(@TempDir Path root) throws Exception {
        try (DeployFixture fx = DeployFixture.forRemoteCalls(root, Map.of())) {
            List<String> phases = new java.util.ArrayList<>();
            for (int i = 0; i < 7; i++) {
                phases.add((String) DeployFixture.await(fx.executor().run(PID_AND_PHASES,
                        CallOptions.DEFAULT.withFresh(true))));
            }

            // The first is cold; a second may miss the spare (that is how the run is noticed), and a third may come
            // while the spare started then is still being started. On a machine so slow that each call outlasts
            // the time a spare may wait in a run, every other call finds one: at least two of the last five.
            long madeOfSpares = phases.subList(2, 7).stream().filter(p -> p.contains("spare=prepared ahead")).count();
            assertTrue(madeOfSpares >= 2, String.join("\n", phases));
        }
    }

    /** A framework extension's activator would run as a prepared framework initializes: only fragments tell. */
    @Test
    void aBundleSetWithFragmentsIsNotPreparedAhead(@TempDir Path root) throws Exception {
        try (DeployFixture fx = DeployFixture.forRemoteCalls(root, Map.of())) {
            TestBundle.supplier("host", "1.0.0", "host").writeTo(fx.deploy.resolve("host.jar"));
            TestBundle.named("attached", "1.0.0").header("Fragment-Host", "host").writeTo(fx.deploy.resolve("attached.jar"));
            Eventually.until("the host is active", () -> fx.isActive("host"));
            Eventually.until("the fragment is resolved", () -> fx.state("attached") == org.osgi.framework.Bundle.RESOLVED);
            long first = (Long) DeployFixture.await(fx.executor().run(PID, CallOptions.DEFAULT.withFresh(true)));
            ProcessHandle spare = awaitSpare(ProcessHandle.current(), first);

            String[] second = ((String) DeployFixture.await(fx.executor().run(PID_AND_PHASES,
                    CallOptions.DEFAULT.withFresh(true)))).split(" ", 2);

            assertEquals(String.valueOf(spare.pid()), second[0], "the spare became that child");
            assertFalse(second[1].contains("prepared ahead"), "it had not prepared the framework: " + second[1]);
        }
    }

    @Test
    void aRuntimeThatStoppedWithASpareStartsOneAgainBeforeAnyCall(@TempDir Path root) throws Exception {
        try (DeployFixture fx = DeployFixture.forRemoteCalls(root, Map.of())) {
            long first = (Long) DeployFixture.await(fx.executor().run(PID, CallOptions.DEFAULT.withFresh(true)));
            ProcessHandle before = awaitSpare(ProcessHandle.current(), first);

            fx.restart();

            ProcessHandle resumed = awaitSpare(ProcessHandle.current(), before.pid());
            long child = (Long) DeployFixture.await(fx.executor().run(PID, CallOptions.DEFAULT.withFresh(true)));
            assertEquals(resumed.pid(), child, "the first child after the restart is made of it");
        }
    }

    @Test
    void anIdleSpareRetiresWithThePoolsIdleTimeoutAndTakesItsFolder(@TempDir Path root) throws Exception {
        try (DeployFixture fx = DeployFixture.forRemoteCalls(root, Map.of("trampoline.pool.idleTimeoutMillis", "3000"))) {
            long first = (Long) DeployFixture.await(fx.executor().run(PID, CallOptions.DEFAULT.withFresh(true)));
            ProcessHandle spare = awaitSpare(ProcessHandle.current(), first);
            Path folder = folderOf(spare);

            Eventually.until("the idle spare exits", () -> !spare.isAlive());
            Eventually.until("its folder is deleted", () -> !Files.exists(folder));
            assertEquals(Optional.empty(), spareOf(ProcessHandle.current()), "and none replaces it before a child");

            fx.restart();
            try (var files = Files.walk(root)) {
                assertEquals(List.of(), files.filter(f -> f.endsWith("spare.resume")).toList(),
                        "a runtime that stopped without a spare notes none for its next start");
            }
        }
    }

    @Test
    void aSpareGivesWayToChildrenSoThatNoMoreJvmsRunThanMaxChildren(@TempDir Path root) throws Exception {
        try (DeployFixture fx = DeployFixture.forRemoteCalls(root, Map.of("trampoline.pool.maxChildren", "2"))) {
            long first = (Long) DeployFixture.await(fx.executor().run(PID, CallOptions.DEFAULT.withFresh(true)));
            ProcessHandle spare = awaitSpare(ProcessHandle.current(), first);

            // Reusable children with environments of their own: the spare fits neither.
            DeployFixture.await(fx.executor().run(PID, CallOptions.DEFAULT.withEnvironment(Map.of("LANE", "a"))));
            assertTrue(spare.isAlive(), "one child and the spare are two JVMs: within the limit");
            DeployFixture.await(fx.executor().run(PID, CallOptions.DEFAULT.withEnvironment(Map.of("LANE", "b"))));

            Eventually.until("the spare makes room for the second child", () -> !spare.isAlive());
            // A class-data training child would be left out; none runs on this class path (FolderClassPathTest).
            assertEquals(2, ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                    .map(p -> String.join(" ", p.info().arguments().orElse(new String[0])))
                    .filter(a -> a.contains("dev.trampoline.launcher.internal.child.ChildMain")
                            && !ChildArchives.trains(a)).count());
        }
    }

    @Test
    void noSpareIsKeptWhenTurnedOff(@TempDir Path root) throws Exception {
        try (DeployFixture fx = DeployFixture.forRemoteCalls(root, Map.of("trampoline.child.spare", "false"))) {
            DeployFixture.await(fx.executor().run(PID, CallOptions.DEFAULT.withFresh(true)));
            Thread.sleep(1_000); // a spare would start 250 ms after that child was ready
            assertEquals(Optional.empty(), spareOf(ProcessHandle.current()));
        }
    }

    /** Through the executable jar: a parent killed outright. */
    @Test
    void killingTheParentEndsItsSpareAndItsWarmUpFolder(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("deploy"));
        Files.copy(Examples.greeterJar(), root.resolve("deploy/greeter.jar"));
        try (LauncherProcess parent = LauncherProcess.start(root)) {
            parent.type("tramp:call dev.trampoline.examples.greeter.Greeter greet Spare\n");
            Eventually.until("the call answered", () -> parent.out().contains("Hello, Spare!"), parent::describe);
            ProcessHandle spare = awaitSpare(parent.process().toHandle(), -1);
            Path folder = folderOf(spare);
            List<ProcessHandle> all = parent.process().descendants().toList();

            parent.process().destroyForcibly();
            parent.awaitExit();

            Eventually.until("the spare exits", () -> !spare.isAlive());
            // The others too, before the folder is deleted: they write to it as they leave.
            Eventually.until("every child exits", () -> all.stream().noneMatch(ProcessHandle::isAlive));
            assertFalse(Files.exists(folder), "the spare deleted its folder: " + folder);
        }
    }

    /** The spare JVM among {@code parent}'s children, once there is one other than {@code not}. */
    private static ProcessHandle awaitSpare(ProcessHandle parent, long not) {
        // The one seen is the one returned: looking again could miss it (its arguments read while it changes) or
        // find the one it must not be.
        var seen = new java.util.concurrent.atomic.AtomicReference<ProcessHandle>();
        Eventually.until("a spare JVM is started", () -> {
            spareOf(parent).filter(p -> p.pid() != not).ifPresent(seen::set);
            return seen.get() != null;
        });
        return seen.get();
    }

    private static Optional<ProcessHandle> spareOf(ProcessHandle parent) {
        return parent.children().filter(p -> Arrays.asList(p.info().arguments().orElse(new String[0]))
                .contains("--spare")).findFirst();
    }

    /** The folder a spare was started with ({@code --storage}): the next child's, where it prepares. */
    private static Path folderOf(ProcessHandle spare) {
        List<String> args = Arrays.asList(spare.info().arguments().orElse(new String[0]));
        return Path.of(args.get(args.indexOf("--storage") + 1));
    }
}
