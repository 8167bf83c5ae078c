package dev.trampoline.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Children on a real single-node Slurm cluster ({@link SlurmCluster}), each a job step of srun: the runtime is the
 * real launcher, the calls the shell's. The host's {@code srun} is a script that records its arguments and runs
 * the system's srun for the test's cluster.
 */
class SlurmHostTest {

    private static SlurmCluster cluster;

    @TempDir
    Path work;

    @BeforeAll
    static void startCluster() throws Exception {
        SlurmCluster.assumeAvailable();
        cluster = SlurmCluster.start();
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static long pidIn(String out) {
        Matcher m = Pattern.compile("\\(computed by child pid \\d+ on host cluster, local pid (\\d+)\\)").matcher(out);
        long pid = -1;
        while (m.find()) {
            pid = Long.parseLong(m.group(1));
        }
        return pid;
    }

    private static List<String> jars(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar")).toList();
        }
    }

    @Test
    void aCallRunsInAJobStepAndKillingSrunEndsTheStep() throws Exception {
        Path deploy = Files.createDirectories(work.resolve("deploy"));
        Files.copy(Examples.greeterJar(), deploy.resolve("greeter.jar"));
        TestBundle.named("test.slurm", "1.0.0").activatorSupplying("\"job \" + System.getenv(\"SLURM_JOB_ID\")")
                .writeTo(deploy.resolve("slurm-job.jar"));
        Path arguments = work.resolve("srun-arguments");
        Path srun = cluster.srunScript(work.resolve("srun"), arguments);
        Path node = work.resolve("node");
        Files.writeString(deploy.resolve("dev.trampoline.remote.hosts.cfg"), "cluster.via = slurm\ncluster.srun = "
                + srun + "\ncluster.partition = " + SlurmCluster.PARTITION + "\ncluster.timeLimit = 30\n"
                + "cluster.work = " + node + "\n");

        try (LauncherProcess p = LauncherProcess.start(work)) {
            p.type("tramp:call --host cluster Greeter greet World\n");
            Eventually.until("the call answered", () -> p.out().contains("Hello, World!"), p::describe);
            long srunPid = pidIn(p.out());
            assertTrue(srunPid > 0, p.describe());

            // The child is the task of a job step: it sees its job's id, which squeue lists as running.
            p.typeUntil("tramp:call --host cluster '(test.name=test.slurm)' get\n", "job ");
            Matcher job = Pattern.compile("job (\\d+)").matcher(p.out());
            assertTrue(job.find() && !job.group(1).isEmpty(), p.describe());
            String jobId = job.group(1);
            assertEquals(srunPid, pidIn(p.out()), "the same child answered");
            assertTrue(cluster.jobs().contains(jobId + " trampoline-child RUNNING"), cluster.jobs());
            List<String> passed = Files.readAllLines(arguments);
            assertTrue(passed.containsAll(List.of("--ntasks=1", "--kill-on-bad-exit=1", "--input=0", "--unbuffered",
                    "--partition=" + SlurmCluster.PARTITION, "--time=30", "--job-name=trampoline-child",
                    "--job-name=trampoline-contact")), passed.toString());
            assertEquals(1, jars(node.resolve("launcher")).size(), "the launcher jar was copied to the node");
            p.typeUntil("tramp:hosts\n", "CONNECTED (");

            // The pool's kill ends srun (SIGKILL): Slurm ends the step and the job.
            p.typeUntil("tramp:kill " + srunPid + "\n", "Killed child " + srunPid);
            Eventually.until("the job ended", () -> !cluster.jobs().contains(jobId + " "),
                    () -> cluster.jobs() + cluster.logs());

            // A node that lacks the launcher jar (another node, its work folder emptied): the child's start
            // contacts the host again, copies it, and starts the child once more.
            Files.delete(node.resolve("launcher").resolve(jars(node.resolve("launcher")).get(0)));
            p.type("tramp:call --host cluster Greeter greet Again\n");
            Eventually.until("a new child answered", () -> p.out().contains("Hello, Again!"), p::describe);
            assertTrue(p.err().contains("the launcher jar was missing where the child ran"), p.describe());
            assertEquals(1, jars(node.resolve("launcher")).size());
        }
        Eventually.until("the runtime's exit ended its jobs", () -> cluster.jobs().isBlank(), cluster::jobs);
    }

    @Test
    void aPartitionTheClusterLacksFailsTheCallWithSrunsErrorWhileLocalCallsGoOn() throws Exception {
        Path deploy = Files.createDirectories(work.resolve("deploy"));
        Files.copy(Examples.greeterJar(), deploy.resolve("greeter.jar"));
        Path srun = cluster.srunScript(work.resolve("srun"), work.resolve("srun-arguments"));
        Files.writeString(deploy.resolve("dev.trampoline.remote.hosts.cfg"), "cluster.via = slurm\ncluster.srun = "
                + srun + "\ncluster.partition = nosuch\ncluster.work = " + work.resolve("node") + "\n");

        try (LauncherProcess p = LauncherProcess.start(work)) {
            p.type("tramp:call --host cluster Greeter greet World\n");
            Eventually.until("the call failed",
                    () -> p.err().contains("tramp:call --host cluster Greeter greet World: "), p::describe);
            assertTrue(p.err().contains("host cluster cannot be reached: srun exited with 1: srun: error: invalid"
                    + " partition specified: nosuch"), p.describe());
            p.typeUntil("tramp:call Greeter greet Here\n", "Hello, Here!");
            p.typeUntil("tramp:hosts\n", "cluster (slurm partition nosuch, 1 slot): UNREACHABLE: ");
        }
    }
}
