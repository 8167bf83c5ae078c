package dev.trampoline.runtime.remote.internal.host;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import org.osgi.service.log.Logger;

import dev.trampoline.runtime.contract.internal.ChannelBoot;
import dev.trampoline.runtime.contract.internal.ChildArguments;
import dev.trampoline.runtime.contract.internal.ContentHash;
import dev.trampoline.runtime.contract.internal.SnapshotFile;
import dev.trampoline.runtime.contract.internal.StoreLayout;
import dev.trampoline.runtime.remote.internal.process.ChildCommand;
import dev.trampoline.runtime.remote.internal.process.ChildJvmOptions;
import dev.trampoline.runtime.remote.internal.process.ChildStarter;
import dev.trampoline.runtime.remote.internal.process.SpareJvm;

/**
 * Starts children on one host that shares no file with this machine, through a program run here whose stdin and
 * stdout become the child's channel (ssh, srun), and whose pid is the one the pool lists and kills. Before a
 * child's first call, it is sent its snapshot, its configurations and the bundles its host lacks (see
 * {@link ChannelBoot}).
 * <p>
 * The host is contacted (see {@link HostContact}) before its first child. A failed contact fails the start, naming
 * the host, the program's exit status and its stderr; the next start tries again, but not before a backoff that
 * doubles from one second to a minute at each failure, so that an unreachable host fails its calls at once
 * instead of making each wait for a connect timeout. A child that fails its boot exchange fails its start, naming
 * the host and the program's exit status, and the calls' error ends with the last lines of its stderr (what ssh
 * or the host said: "Permission denied", "sh: java: not found", the JVM's refusal of an option), which the
 * child's reader reads from the moment the process exists (see {@link ChildStarter#start}), bounded as after the
 * boot, so that a flood there neither blocks the boot nor fills this JVM's memory. It also makes the next start
 * contact the host again (its work folder may have been emptied); one whose launcher jar is missing where it
 * runs is started once more at once, after a new contact.
 */
public abstract sealed class HostStarter implements ChildStarter permits SshStarter, SlurmStarter {

    private static final long FIRST_BACKOFF_MILLIS = 1_000;
    private static final long MAX_BACKOFF_MILLIS = 60_000;
    /** How long a child's boot exchange may take, its bundles' transfer included. */
    private static final long BOOT_EXCHANGE_MILLIS = 300_000;

    private final RemoteHost host;
    private final Path launcherJar;
    private final Logger log;
    /**
     * Run by the host's shell before java: exports each {@code KEY=VALUE} line of stdin up to an empty one (a call's
     * environment, see {@link #environmentLines}), then execs its arguments. A shell's {@code read} takes no byte
     * beyond its line from a pipe, so the child's channel starts right after.
     */
    static final String TAKE_ENVIRONMENT = "while IFS= read -r line && test -n \"$line\"; do export \"$line\" ||"
            + " exit 94; done; exec \"$@\"";
    private static final Pattern ENVIRONMENT_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /**
     * The contact, or the last failure and when the next try may be: written under {@link #contacting} (one
     * contact at a time), read without it, so that {@code tramp:hosts} never waits for a host in trouble.
     */
    private final Object contacting = new Object();
    private volatile HostContact contact;
    /** Kept while the host is contacted again: its children run on the JDK of the last contact meanwhile. */
    private volatile int javaFeature;
    private volatile IOException lastFailure;
    private volatile long retryAtNanos;
    private long backoffMillis = FIRST_BACKOFF_MILLIS;
    /** Set while {@link #contactAhead} runs: the pool's timer asks again every quarter of a second. */
    private final java.util.concurrent.atomic.AtomicBoolean contactingAhead =
            new java.util.concurrent.atomic.AtomicBoolean();

    HostStarter(RemoteHost host, Path launcherJar, Logger log) {
        this.host = host;
        this.launcherJar = launcherJar;
        this.log = log;
    }

    /**
     * The starter of {@code host}'s children (through srun if it has Slurm options, else ssh), from
     * {@code launcherJar}, the runtime's launcher jar on this machine; what contacts did goes to {@code log}.
     */
    public static HostStarter of(RemoteHost host, Path launcherJar, Logger log) {
        return host.slurm() == null ? new SshStarter(host, launcherJar, log) : new SlurmStarter(host, launcherJar,
                log);
    }

    public RemoteHost host() {
        return host;
    }

    /** What is known of the host: its JDK once contacted, the last failure, or that it was not contacted yet. */
    public String state() {
        HostContact c = contact;
        if (c != null) {
            return "CONNECTED (" + c.javaVersion() + ")";
        }
        IOException failure = lastFailure;
        return failure == null ? "NOT CONTACTED" : "UNREACHABLE: " + failure.getMessage();
    }

    /** Whether the host was contacted and the contact holds: calls that name no host may go there. */
    public boolean connected() {
        return contact != null;
    }

    /**
     * Whether the host should be contacted ahead of any call that names it (see {@link #contactAhead}): it is not
     * connected, no such contact runs, and no failure's backoff holds it back.
     */
    public boolean contactDue() {
        return contact == null && !contactingAhead.get()
                && (lastFailure == null || System.nanoTime() - retryAtNanos >= 0);
    }

    /**
     * Contacts the host now if it was not (in the caller's thread: an ssh login, a JDK check, perhaps a copy),
     * so that calls that name no host know whether they may go there; a failure is logged, and the host's calls
     * learn of it as they would have. Does nothing while another such contact runs.
     */
    public void contactAhead() {
        if (!contactingAhead.compareAndSet(false, true)) {
            return;
        }
        try {
            contact();
        } catch (IOException e) {
            log.warn("{}; calls that name no host run elsewhere meanwhile", e.getMessage());
        } finally {
            contactingAhead.set(false);
        }
    }

    /**
     * How long the current contact took (a login, a short script and {@code java -version}: not what a call
     * costs, see {@link dev.trampoline.runtime.remote.internal.process.RoundTrips}); -1 while not contacted.
     */
    public long contactMillis() {
        HostContact c = contact;
        return c == null ? -1 : c.roundTripMillis();
    }

    /** The feature version of the host's JDK (17, 25...) at the last contact; 0 before the first. */
    public int javaFeature() {
        return javaFeature;
    }

    /** Contacts the host (see {@link HostContact}), with {@code sha256} the launcher jar's hash. */
    abstract HostContact contact(Path launcherJar, String sha256) throws IOException;

    /** Starts the process whose stdin and stdout are the channel of the child {@code words} run there. */
    abstract Process launch(List<String> words, HostContact contacted) throws IOException;

    /** The program run here that connects a child: {@code ssh} or {@code srun}, as messages name it. */
    abstract String program();

    /** Whether a child that ended with {@code exit} before its boot exchange did so for want of the launcher jar. */
    boolean launcherMissing(int exit) {
        return false;
    }

    @Override
    public Process start(ChildCommand command, SpareJvm spare, Consumer<Process> started) throws IOException {
        try {
            return startOnce(command, started);
        } catch (LauncherMissing e) {
            log.info("Host {}: the launcher jar was missing where the child ran; contacting it again",
                    host.name());
            return startOnce(command, started);
        }
    }

    private Process startOnce(ChildCommand command, Consumer<Process> started) throws IOException {
        HostContact contacted = contact();
        byte[] environment = environmentLines(command.environment());
        List<String> words = new ArrayList<>(List.of("sh", "-c", TAKE_ENVIRONMENT, "sh", host.java()));
        words.addAll(optionsFor(command.jvmOptions(), contacted.javaMajor()));
        words.add("-cp");
        words.add(contacted.jar());
        words.add(command.mainClass());
        words.addAll(new ChildArguments.Remote(Path.of(host.work())).toList());
        Process p = launch(words, contacted);
        started.accept(p); // a kill from now on ends the exchange below
        AtomicBoolean exchanged = new AtomicBoolean();
        CompletableFuture.delayedExecutor(BOOT_EXCHANGE_MILLIS, TimeUnit.MILLISECONDS).execute(() -> {
            if (exchanged.compareAndSet(false, true)) {
                p.destroyForcibly();
            }
        });
        Path configurations = StoreLayout.childConfigurations(command.storage());
        try {
            p.getOutputStream().write(environment);
            ChannelBoot.describe(p.getOutputStream(), command.snapshotFile(), configurations);
            SnapshotFile snapshot = SnapshotFile.read(command.snapshotFile());
            Set<String> offered = new HashSet<>();
            snapshot.bundles().forEach(e -> offered.add(e.sha256()));
            ChannelBoot.serveNeeds(p.getInputStream(), p.getOutputStream(), snapshot.store(), offered);
        } catch (IOException e) {
            Ended ended = Ended.of(p, e instanceof EOFException);
            forgetContact(); // the host may have changed (its work folder emptied, say): look at it again
            IOException failed = new IOException("host " + host.name() + ": the child did not start: "
                    + ended.said(program()) + " (" + (e instanceof EOFException ? "its channel ended during the"
                    + " boot exchange" : e.getMessage() == null ? e.toString() : e.getMessage()) + ")", e);
            throw launcherMissing(ended.exit()) ? new LauncherMissing(failed) : failed;
        } finally {
            exchanged.set(true);
        }
        Files.deleteIfExists(configurations); // sent: no copy of what may be secret stays here
        return p;
    }

    /**
     * A call's environment as the host's shell takes it before it runs java ({@link #TAKE_ENVIRONMENT}): one
     * {@code KEY=VALUE} line each, then an empty line. Over the channel, not in a command line, which every user
     * of either machine may read while the child runs.
     */
    static byte[] environmentLines(Map<String, String> environment) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (Map.Entry<String, String> e : environment.entrySet()) {
            if (!ENVIRONMENT_NAME.matcher(e.getKey()).matches()) {
                throw new IOException("the environment variable '" + e.getKey() + "' cannot be set on a host: a name"
                        + " is letters, digits and '_', not starting with a digit");
            }
            if (e.getValue().indexOf('\n') >= 0 || e.getValue().indexOf('\0') >= 0) {
                throw new IOException("the environment variable " + e.getKey() + " cannot be set on a host: its"
                        + " value holds a line break or a NUL");
            }
            lines.append(e.getKey()).append('=').append(e.getValue()).append('\n');
        }
        return lines.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Children on another host have no spare JVM waiting: each starts at its call. */
    @Override
    public Process startSpare(List<String> command) throws IOException {
        throw new IOException("host " + host.name() + " keeps no spare JVM");
    }

    /**
     * The JVM options for a child there: a class-data archive is this machine's file, an option newer than the
     * host's JDK would stop its JVM, and one only some JDKs take is added once the host's is known (see
     * {@link ChildJvmOptions#quietUnsafeAccess}).
     */
    static List<String> optionsFor(List<String> options, int javaMajor) {
        List<String> kept = new ArrayList<>();
        for (String o : options) {
            boolean archive = o.startsWith("-XX:SharedArchiveFile") || o.startsWith("-XX:ArchiveClassesAtExit")
                    || o.startsWith("-Xlog:cds");
            boolean tooNew = o.startsWith("-XX:TrimNativeHeapInterval") && javaMajor < 22;
            if (!archive && !tooNew) {
                kept.add(o);
            }
        }
        String quiet = ChildJvmOptions.quietUnsafeAccess(javaMajor, options);
        if (quiet != null) {
            kept.add(quiet);
        }
        return kept;
    }

    private void forgetContact() {
        contact = null;
    }

    private HostContact contact() throws IOException {
        HostContact known = contact;
        if (known != null) {
            return known;
        }
        synchronized (contacting) {
            return contactNow();
        }
    }

    /** Under {@link #contacting}: the contact another thread just made, or a new one. */
    private HostContact contactNow() throws IOException {
        HostContact known = contact;
        if (known != null) {
            return known;
        }
        IOException failure = lastFailure;
        if (failure != null && System.nanoTime() < retryAtNanos) {
            throw new IOException(failure.getMessage() + " (tried again in at most "
                    + TimeUnit.NANOSECONDS.toSeconds(retryAtNanos - System.nanoTime() + 999_999_999L) + " s)",
                    failure);
        }
        try {
            if (!Files.isRegularFile(launcherJar)) {
                throw new IOException("children on other hosts need the runtime started from its launcher jar"
                        + " (java -jar trampoline.jar): '" + launcherJar + "' is not a jar");
            }
            HostContact made = contact(launcherJar, ContentHash.sha256(Files.readAllBytes(launcherJar)));
            log.info("Host {}: {}{}{}", host.name(), made.javaVersion(), made.copied()
                    ? "; copied the launcher jar to " + made.jar() : "", made.swept() == 0 ? ""
                    : "; removed the folders of " + made.swept() + " children that died there");
            lastFailure = null;
            backoffMillis = FIRST_BACKOFF_MILLIS;
            javaFeature = made.javaMajor();
            contact = made;
            return made;
        } catch (IOException e) {
            lastFailure = e;
            retryAtNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMillis);
            backoffMillis = Math.min(MAX_BACKOFF_MILLIS, backoffMillis * 2);
            throw e;
        }
    }

    /** A start that failed for want of the launcher jar where the child ran: worth one more, after a contact. */
    private static final class LauncherMissing extends IOException {
        LauncherMissing(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /**
     * How a process that failed its boot exchange ended: its exit status, -1 if it was still running. Its stderr
     * is not read here: the child's own reader reads it from the process's start, logs it, and ends the failure's
     * message with its last lines (see {@link ChildStarter#start}).
     */
    private record Ended(int exit) {

        /**
         * Kills {@code p} and says how it ended; its own end is waited for first, briefly, and as long as its kill's
         * if its stdout ended ({@code closed}): it was ending by itself, and its status says why.
         */
        static Ended of(Process p, boolean closed) {
            try {
                // A failed write means it is ending too: only a child that sent something else is still there.
                p.waitFor(closed ? 10 : 2, TimeUnit.SECONDS);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new Ended(p.isAlive() ? -1 : p.exitValue());
        }

        /** "ssh exited with 255", say. */
        String said(String program) {
            return exit < 0 ? program + " did not exit when killed" : program + " exited with " + exit;
        }
    }
}
