package dev.trampoline.runtime.remote.internal.host;

import java.util.ArrayList;
import java.util.List;

/**
 * How a host's children run on a Slurm cluster: each is one job step of {@code srun}, started from an argument
 * array on this machine, its channel srun's stdin and stdout. srun forwards its stdin to task 0 only
 * ({@code --input=0}), and the task's stdout as it comes ({@code --unbuffered}): without it, slurmstepd forwards
 * output a line at a time, and a frame that does not end with a newline byte would wait for the next one. With it
 * the task's stdout is a pseudo terminal, which slurmstepd sets raw (bytes pass unchanged); its stdin and stderr
 * stay pipes. One task on one node, ended by Slurm if it exits with a non-zero status
 * ({@code --kill-on-bad-exit=1}), srun's own messages quiet ({@code --quiet}) so that its stderr says only what
 * went wrong.
 *
 * @param srun      the srun binary ({@code srun}: this machine's PATH)
 * @param partition the partition ({@code --partition}), or null: the cluster's default
 * @param account   the account charged ({@code --account}), or null: the user's default
 * @param timeLimit the step's time limit as srun takes it ({@code --time}: minutes, {@code h:m:s}, {@code d-h:m}...),
 *                  or null: the partition's default
 * @param options   more srun options, each one word starting with '-' (say {@code --qos=short})
 */
public record SlurmOptions(String srun, String partition, String account, String timeLimit, List<String> options) {

    /** The job name of a child's step, which {@code squeue} shows. */
    static final String CHILD_JOB = "trampoline-child";
    /** The job name of a first contact's steps (see {@link HostContact}). */
    static final String CONTACT_JOB = "trampoline-contact";

    /** @throws IllegalArgumentException if an option does not start with '-' (srun would take it for the command) */
    public SlurmOptions {
        options = List.copyOf(options);
        for (String o : options) {
            if (!o.startsWith("-")) {
                throw new IllegalArgumentException("the srun option '" + o + "' does not start with '-'");
            }
        }
    }

    /**
     * The srun argument array that runs the argument array {@code command} as a job step named {@code jobName},
     * in {@code folder} on the node (where relative work folders start).
     */
    List<String> srun(String jobName, String folder, List<String> command) {
        List<String> args = new ArrayList<>(List.of(srun, "--ntasks=1", "--nodes=1", "--kill-on-bad-exit=1",
                "--quiet", "--input=0", "--unbuffered", "--job-name=" + jobName, "--chdir=" + folder));
        if (partition != null) {
            args.add("--partition=" + partition);
        }
        if (account != null) {
            args.add("--account=" + account);
        }
        if (timeLimit != null) {
            args.add("--time=" + timeLimit);
        }
        args.addAll(options);
        args.add("--");
        args.addAll(command);
        return args;
    }
}
