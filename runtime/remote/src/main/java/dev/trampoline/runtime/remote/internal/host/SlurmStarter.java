package dev.trampoline.runtime.remote.internal.host;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import org.osgi.service.log.Logger;

import dev.trampoline.runtime.remote.internal.process.OwnSession;

/**
 * Starts children on a Slurm cluster: each child is one job step of {@code srun} (see {@link SlurmOptions}), srun's
 * stdin and stdout its channel, srun's pid the one the pool lists and kills. Slurm runs the step as this machine's
 * user, in its home folder (the same path as here, where a relative work folder starts).
 * <p>
 * The launcher jar reaches a node as it reaches an ssh host, with no shared folder assumed: the first contact is
 * two job steps running {@link HostContact}'s scripts (the jar on the second's stdin). Slurm may place the next
 * step on another node: a child whose node lacks the jar exits with {@value #NO_LAUNCHER} before its JVM starts, and
 * is started once more after a new contact (on a cluster whose nodes share the work folder, as they usually share
 * homes, one copy serves them all). The contact removes no dead child's folder: its pid would be checked on
 * whichever node the contact ran.
 * <p>
 * Killing srun ends the step: srun keeps a second process that cancels the job when srun is killed, even with
 * SIGKILL, and the child exits anyway when its channel closes or its heartbeats stop.
 */
public final class SlurmStarter extends HostStarter {

    /** The exit status of a step whose node lacks the launcher jar. */
    static final int NO_LAUNCHER = 93;
    /** Runs its arguments after the first if the first (the launcher jar) is a file there. */
    static final String IF_LAUNCHER = "test -f \"$1\" || exit " + NO_LAUNCHER + "; shift; exec \"$@\"";

    private final SlurmOptions slurm;
    private final String home = System.getProperty("user.home");

    /** Starts children on {@code host} (one with Slurm options) from {@code launcherJar}, this machine's. */
    public SlurmStarter(RemoteHost host, Path launcherJar, Logger log) {
        super(host, launcherJar, log);
        this.slurm = host.slurm();
        if (slurm == null) {
            throw new IllegalArgumentException("host " + host.name() + " is not via slurm");
        }
    }

    @Override
    HostContact contact(Path launcherJar, String sha256) throws IOException {
        UnaryOperator<List<String>> srun = words -> slurm.srun(SlurmOptions.CONTACT_JOB, home, words);
        return HostContact.contact(host(), launcherJar, sha256, srun, HostContact.INSPECT_NO_SWEEP,
                String.join(" ", srun.apply(List.of("true"))));
    }

    @Override
    String program() {
        return "srun";
    }

    @Override
    Process launch(List<String> words, HostContact contacted) throws IOException {
        return new ProcessBuilder(OwnSession.command(slurm.srun(SlurmOptions.CHILD_JOB, home,
                childCommand(contacted.jar(), words)))).start();
    }

    /** The argument array that runs the child {@code words} on the node if the launcher jar {@code jar} is there. */
    static List<String> childCommand(String jar, List<String> words) {
        List<String> command = new ArrayList<>(List.of("sh", "-c", IF_LAUNCHER, "sh", jar));
        command.addAll(words);
        return command;
    }

    @Override
    boolean launcherMissing(int exit) {
        return exit == NO_LAUNCHER;
    }
}
