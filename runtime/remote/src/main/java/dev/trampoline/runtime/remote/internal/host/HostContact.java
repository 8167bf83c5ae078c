package dev.trampoline.runtime.remote.internal.host;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The first contact with a host: its work folder made private (0700), its JDK checked (17 or newer), and the
 * launcher jar copied into the work folder's {@value #LAUNCHERS} folder, named by its SHA-256, only when no copy
 * of that hash is there yet. The scripts are fixed text; what varies (the work folder, the java binary, the hash)
 * reaches them as positional parameters, each quoted, so nothing of it is expanded by the host's shell.
 *
 * @param jar          the launcher jar on the host, relative to the login's home unless the work folder is absolute
 * @param javaVersion  the first line {@code java -version} printed there
 * @param javaMajor    the JDK's feature version (17, 21, 25...)
 * @param copied       whether the jar was copied at this contact
 * @param swept        how many folders of children that died there (a parent killed with them) were removed
 */
record HostContact(String jar, String javaVersion, int javaMajor, boolean copied, int swept) {

    static final String LAUNCHERS = "launcher";
    /** How long a contact may take, copying the jar included, before it is given up. */
    static final long BOUND_MILLIS = 120_000;
    static final String PRESENT = "trampoline: launcher present";
    static final String SWEPT = "trampoline: removed the folder of a dead child";
    /** The children's folders on the host, and the file in each that holds its child's pid (see RemoteBoot). */
    static final String CHILDREN = "children";
    static final String PID_FILE = "pid";
    /**
     * Makes the folders, removes what children that died there left (a folder whose pid file names no live
     * process, or that has none a minute after it was made: its child died before it wrote one), runs java.
     */
    static final String INSPECT = inspect(true);
    /**
     * As {@link #INSPECT}, without the removal: a Slurm contact runs on whichever node Slurm picks, where the pid
     * of a child on another node sharing the work folder would look dead.
     */
    static final String INSPECT_NO_SWEEP = inspect(false);
    static final String COPY = "umask 077 && cat > \"$1/" + LAUNCHERS + "/$2.jar.$$\" && mv -f \"$1/"
            + LAUNCHERS + "/$2.jar.$$\" \"$1/" + LAUNCHERS + "/$2.jar\"";

    private static final Pattern VERSION = Pattern.compile("version \"(1\\.)?(\\d+)");
    /** The oldest JDK a child runs on. */
    static final int MIN_JAVA = 17;

    /**
     * Contacts {@code host}, copying {@code launcherJar} (whose hash is {@code sha256}) there if it is not;
     * {@code remote} turns an argument array to run there into the one that runs it from here (through ssh or
     * srun), and {@code inspect} is {@link #INSPECT} or {@link #INSPECT_NO_SWEEP}.
     */
    static HostContact contact(RemoteHost host, Path launcherJar, String sha256, UnaryOperator<List<String>> remote,
            String inspect) throws IOException {
        SshRun inspected = SshRun.run(remote.apply(List.of("sh", "-c", inspect, "sh", host.work(), host.java(),
                sha256)), null, BOUND_MILLIS);
        if (inspected.exit() == 90) {
            throw new IOException("host " + host.name() + ": cannot make its work folder '" + host.work() + "': "
                    + inspected.failure());
        }
        if (inspected.exit() == 91 || inspected.exit() == 127) {
            throw new IOException("host " + host.name() + ": no java at '" + host.java() + "' ("
                    + inspected.stdout().strip() + "); set " + HostsConfiguration.PID + " " + host.name() + "."
                    + HostsConfiguration.JAVA + " to a JDK " + MIN_JAVA + "+ java binary there");
        }
        if (inspected.exit() != 0) {
            throw new IOException("host " + host.name() + " cannot be reached: " + inspected.failure());
        }
        Matcher m = VERSION.matcher(inspected.stdout());
        if (!m.find()) {
            throw new IOException("host " + host.name() + ": '" + host.java() + " -version' printed no version: "
                    + inspected.stdout().strip());
        }
        int major = Integer.parseInt(m.group(2));
        String versionLine = inspected.stdout().lines().filter(l -> l.contains("version")).findFirst().orElse("");
        if (major < MIN_JAVA) {
            throw new IOException("host " + host.name() + ": its java is " + versionLine.strip() + "; children need"
                    + " JDK " + MIN_JAVA + " or newer (set " + host.name() + "." + HostsConfiguration.JAVA + ")");
        }
        String jar = host.work() + "/" + LAUNCHERS + "/" + sha256 + ".jar";
        boolean copied = false;
        if (!inspected.stdout().contains(PRESENT)) {
            SshRun copy = SshRun.run(remote.apply(List.of("sh", "-c", COPY, "sh", host.work(), sha256)), launcherJar,
                    BOUND_MILLIS);
            if (copy.exit() != 0) {
                throw new IOException("host " + host.name() + ": the launcher jar could not be copied to " + jar
                        + ": " + copy.failure());
            }
            copied = true;
        }
        int swept = (int) inspected.stdout().lines().filter(SWEPT::equals).count();
        return new HostContact(jar, versionLine.strip(), major, copied, swept);
    }

    /** {@link #INSPECT}'s text, with or without the removal of dead children's folders. */
    private static String inspect(boolean sweep) {
        return "umask 077 && mkdir -p \"$1/" + LAUNCHERS + "\" && chmod 700 \"$1\" || exit 90;"
                + (sweep ? " for d in \"$1/" + CHILDREN + "\"/child*; do test -d \"$d\" || continue;"
                + " p=$(cat \"$d/" + PID_FILE + "\" 2>/dev/null); if test -n \"$p\" && kill -0 \"$p\" 2>/dev/null;"
                + " then continue; fi; if test -n \"$p\" || test -n \"$(find \"$d\" -maxdepth 0 -mmin +1)\"; then"
                + " rm -rf \"$d\" && echo '" + SWEPT + "'; fi; done;" : "")
                + " \"$2\" -version 2>&1 || exit 91; if test -f \"$1/" + LAUNCHERS + "/$3.jar\"; then echo '"
                + PRESENT + "'; fi";
    }
}
