package dev.trampoline.runtime.remote.internal.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class OwnSessionTest {

    private static final List<String> JAVA = List.of("/jdk/bin/java", "-Xms8m", "-cp", "launcher.jar", "Main");

    @Test
    void theArgumentArrayIsPrefixedWithTheSetsidProgramAndOtherwiseUnchanged() {
        assertEquals(List.of("/usr/bin/setsid", "/jdk/bin/java", "-Xms8m", "-cp", "launcher.jar", "Main"),
                OwnSession.command(Path.of("/usr/bin/setsid"), JAVA));
    }

    @Test
    void withoutASetsidProgramTheCommandIsTodays() {
        assertEquals(JAVA, OwnSession.command(null, JAVA));
        assertNull(OwnSession.locate(List.of(Path.of("/no/such/setsid"))));
    }

    /**
     * The pool lists, kills and names folders by the pid of the process it started: setsid must exec the command
     * in place (no fork), in a new session and process group that are not the parent's.
     */
    @Test
    void theChildKeepsItsPidInASessionAndProcessGroupOfItsOwnAndStillEndsWhenItsStdinCloses() throws Exception {
        assumeTrue(OwnSession.SETSID != null, "no setsid program here");
        // cat: runs until its stdin closes, as a child JVM does when its parent goes.
        Process p = new ProcessBuilder(OwnSession.command(List.of("/bin/cat")))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            long pid = p.pid();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!command(pid).equals("cat")) { // until setsid has exec'd
                assertTrue(p.isAlive(), "setsid exec'd cat in place, it did not fork and exit");
                assertTrue(System.nanoTime() < deadline, "still " + command(pid));
                Thread.sleep(1);
            }
            long[] ids = sessionAndGroup(pid);
            assertEquals(pid, ids[0], "the child leads a session of its own");
            assertEquals(pid, ids[1], "and a process group of its own");
            long[] ours = sessionAndGroup(ProcessHandle.current().pid());
            assertNotEquals(ours[1], ids[1], "not the runtime's (the terminal's) process group");

            p.getOutputStream().close();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the child ends when its stdin closes");
        } finally {
            p.destroyForcibly();
        }
    }

    private static String command(long pid) throws Exception {
        return Files.readString(Path.of("/proc/" + pid + "/comm")).strip();
    }

    /** Session id and process-group id from /proc/PID/stat: "pid (comm) state ppid pgrp session ...". */
    private static long[] sessionAndGroup(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(f[3]), Long.parseLong(f[2])};
    }
}
