package dev.trampoline.runtime.remote.internal.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.log.Logger;

import dev.trampoline.runtime.contract.internal.ContentHash;

/**
 * The Slurm starter against a scripted srun, which records its arguments and runs on this machine the command
 * after {@code --}, as srun runs it on a node: what each step is given and what the steps do there.
 */
class SlurmStarterTest {

    private static final Logger QUIET = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(),
            new Class<?>[] {Logger.class}, (proxy, method, args) -> null);

    @TempDir
    Path dir;

    /** A scripted srun: each run writes its arguments, one a line, to {@code srun-<n>}, then runs the command. */
    private Path srun() throws Exception {
        Path script = Files.writeString(dir.resolve("srun"), "#!/bin/sh\nn=$(ls '" + dir + "' | grep -c '^srun-')\n"
                + "printf '%s\\n' \"$@\" > '" + dir + "'/srun-$n\n"
                + "while [ \"$1\" != -- ]; do shift; done; shift; exec \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private List<String> run(int n) throws Exception {
        return Files.readAllLines(dir.resolve("srun-" + n));
    }

    private SlurmStarter starter(Path work) throws Exception {
        RemoteHost host = new RemoteHost("c", "c", null, 0, 1,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), work.toString(), null, Set.of(),
                new SlurmOptions(srun().toString(), "debug", null, "5", List.of("--qos=short")));
        return new SlurmStarter(host, dir.resolve("launcher.jar"), QUIET);
    }

    @Test
    void theContactRunsTheScriptsAsJobStepsAndCopiesTheJarOverSrunsStdin() throws Exception {
        Path work = dir.resolve("work");
        Path jar = Files.writeString(dir.resolve("launcher.jar"), "jar bytes");
        String abc = ContentHash.sha256(Files.readAllBytes(jar)); // the copy is checked against it
        SlurmStarter starter = starter(work);

        HostContact first = starter.contact(jar, abc);
        assertTrue(first.copied());
        assertEquals(Runtime.version().feature(), first.javaMajor());
        assertEquals("jar bytes", Files.readString(work.resolve("launcher/" + abc + ".jar")));
        for (int n = 0; n < 2; n++) {
            List<String> args = run(n);
            assertTrue(args.containsAll(List.of("--ntasks=1", "--input=0", "--unbuffered", "--partition=debug",
                    "--time=5", "--qos=short", "--job-name=" + SlurmOptions.CONTACT_JOB,
                    "--chdir=" + System.getProperty("user.home"))), args.toString());
            assertEquals(List.of("sh", "-c"), args.subList(args.indexOf("--") + 1, args.indexOf("--") + 3));
        }
        // The scripts span lines: the recorded arguments are compared as text.
        String inspected = Files.readString(dir.resolve("srun-0"));
        assertFalse(inspected.contains(HostContact.INSPECT), "no sweep: the pid of another node's child is not here");
        assertTrue(inspected.contains(HostContact.INSPECT_NO_SWEEP));
        assertTrue(Files.readString(dir.resolve("srun-1")).contains(HostContact.COPY));

        assertFalse(starter.contact(jar, abc).copied(), "a jar there is not copied again");
    }

    @Test
    void aChildStepRunsItsCommandOnlyWhereTheLauncherJarIs() throws Exception {
        Path work = dir.resolve("work");
        SlurmStarter starter = starter(work);
        Path jar = dir.resolve("node-launcher.jar");
        HostContact contacted = new HostContact(jar.toString(), "openjdk version \"17\"", 17, false, 0, 0);

        Process missing = starter.launch(List.of("printf", "%s", "ran"), contacted);
        assertEquals(SlurmStarter.NO_LAUNCHER, missing.waitFor());
        assertTrue(starter.launcherMissing(missing.exitValue()));
        List<String> args = run(0);
        assertTrue(args.contains("--job-name=" + SlurmOptions.CHILD_JOB), args.toString());
        assertEquals(List.of("--", "sh", "-c", SlurmStarter.IF_LAUNCHER, "sh", jar.toString(), "printf", "%s", "ran"),
                args.subList(args.indexOf("--"), args.size()));

        Files.writeString(jar, "jar bytes");
        Process present = starter.launch(List.of("printf", "%s", "it's $HOME"), contacted);
        assertEquals("it's $HOME", new String(present.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals(0, present.waitFor());
    }
}
