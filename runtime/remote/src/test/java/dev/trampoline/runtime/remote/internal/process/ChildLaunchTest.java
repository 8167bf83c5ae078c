package dev.trampoline.runtime.remote.internal.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.trampoline.runtime.contract.internal.ChildProperties;

class ChildLaunchTest {

    /**
     * A host's JDK is not known when its children's options are made: whatever JDK this runtime runs on (25 in
     * CI's second pass), they take no option that a JDK 17 there would refuse or lack.
     */
    @Test
    void childrenOnAnotherHostGetNoOptionOnlySomeJdksKnow(@TempDir Path archives) {
        ChildLaunch there = ChildLaunch.onHost("java", "launcher.jar", "Main", archives, "", null);

        List<String> options = there.jvmOptions(List.of(), null);

        assertTrue(options.stream().noneMatch(o -> o.startsWith("--sun-misc-unsafe-memory-access")
                || o.startsWith("-XX:TrimNativeHeapInterval") || o.startsWith("-XX:AOTCache")
                || o.startsWith("-XX:SharedArchiveFile")), options.toString());
        assertEquals(Path.of("java"), there.java(), "the java on the host's path, as configured");
    }

    private static final String TIMEOUT_OPTION = "-D" + ChildProperties.HEARTBEAT_TIMEOUT + "=";

    @TempDir
    Path dir;

    @Test
    void localChildrenGetNoHeartbeatsAndTheirOptionsStayAsTheyWere() {
        ChildLaunch local = new ChildLaunch(Path.of("java"), "launcher.jar", "Main", dir, false, "-Dx=1", null);

        assertEquals(Heartbeat.NONE, local.heartbeat());
        assertEquals(local.jvm().forChild(List.of("-Dy=2"), null), local.jvmOptions(List.of("-Dy=2"), null));
    }

    @Test
    void aLaunchWithHeartbeatsTellsEveryChildItsTimeoutLastWhateverStartsIt() {
        ChildStarter other = new ScriptedChild.Starter();
        ChildLaunch remote = new ChildLaunch(Path.of("java"), "launcher.jar", "Main", dir, false, null, null)
                .withHeartbeat(Heartbeat.DEFAULT).startedBy(other);

        assertSame(other, remote.starter());
        assertEquals(Heartbeat.DEFAULT, remote.heartbeat(), "another starter keeps the heartbeats");
        List<String> options = remote.jvmOptions(List.of(TIMEOUT_OPTION + "1"), null);
        assertEquals(TIMEOUT_OPTION + Heartbeat.DEFAULT_TIMEOUT_MILLIS, options.get(options.size() - 1),
                "last: the child keeps to the timeout the parent keeps to, whatever a call's options say");
        assertTrue(remote.withHeartbeat(Heartbeat.NONE).jvmOptions(List.of(), null).stream()
                .noneMatch(o -> o.startsWith(TIMEOUT_OPTION)));
    }

    @Test
    void twoHeartbeatsMayBeLostWithinATimeoutAndATimeoutTooShortForAPartitionIsRefused() {
        assertEquals(Heartbeat.DEFAULT_TIMEOUT_MILLIS / 3, Heartbeat.DEFAULT.intervalMillis());
        assertThrows(IllegalArgumentException.class, () -> new Heartbeat(Heartbeat.MIN_TIMEOUT_MILLIS - 1));
        assertThrows(IllegalArgumentException.class, () -> new Heartbeat(-1));
    }
}
