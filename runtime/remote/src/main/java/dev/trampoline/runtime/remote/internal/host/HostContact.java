package dev.trampoline.runtime.remote.internal.host;

import java.io.IOException;
import java.nio.file.Files;
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
 * @param roundTripMillis how long the inspection took: an ssh login, a short script and {@code java -version}
 */
record HostContact(String jar, String javaVersion, int javaMajor, boolean copied, int swept, long roundTripMillis) {

    /**
     * The work folder's launcher jars (named by hash), and children's folders (each with its child's pid in
     * {@code pid}, see the launcher's RemoteBoot): the scripts below name them literally.
     */
    static final String LAUNCHERS = "launcher";
    /** How long a contact may take, copying the jar included, before it is given up. */
    static final long BOUND_MILLIS = 120_000;
    /** What the scripts print: the jar is there whole; a dead child's folder was removed. */
    static final String PRESENT = "trampoline: launcher present";
    static final String SWEPT = "trampoline: removed the folder of a dead child";
    /**
     * With the work folder, java, the jar's hash and its size as $1 to $4: makes the work folder (0700) unless it
     * exists (then it must be the login's own: it is never chmod-ed, it may be a folder the user shares), removes
     * copies of the jar a cut-off contact left, launcher jars and stored bundles unused for 30 days (this jar is
     * marked used now; a child marks the bundles it boots with), and what children that died there left (a folder whose pid file
     * names no live process, or that has none a minute after it was made: its child died before it wrote one),
     * runs java, and says whether the jar is there whole.
     */
    static final String INSPECT = inspect(true);
    /**
     * As {@link #INSPECT}, without the removal of dead children's folders: a Slurm contact runs on whichever node
     * Slurm picks, where the pid of a child on another node sharing the work folder would look dead.
     */
    static final String INSPECT_NO_SWEEP = inspect(false);
    /**
     * With the work folder, the jar's hash and its size as $1 to $3: takes the jar on stdin into a temporary file
     * and renames it to its hash only if it is whole (its size, and its hash where sha256sum exists): a copy cut
     * off (the parent or its ssh gone) must never be taken for the jar.
     */
    static final String COPY = """
            umask 077
            t="$1/launcher/$2.jar.$$"
            cat > "$t" || { rm -f "$t"; exit 92; }
            n=$(($(wc -c < "$t")))
            if test "$n" -ne "$3"; then
              rm -f "$t"; echo "trampoline: the copy ended after $n of $3 bytes" >&2; exit 92
            fi
            if command -v sha256sum > /dev/null 2>&1; then
              h=$(sha256sum "$t"); h=${h%% *}
              test "$h" = "$2" || { rm -f "$t"; echo "trampoline: the copy has hash $h" >&2; exit 92; }
            fi
            mv -f "$t" "$1/launcher/$2.jar"
            """;
    private static final Pattern VERSION = Pattern.compile("version \"(1\\.)?(\\d+)");
    /** The oldest JDK a child runs on. */
    static final int MIN_JAVA = 17;

    /**
     * Contacts {@code host}, copying {@code launcherJar} (whose hash is {@code sha256}) there if it is not;
     * {@code remote} turns an argument array to run there into the one that runs it from here (through ssh or
     * srun), {@code inspect} is {@link #INSPECT} or {@link #INSPECT_NO_SWEEP}, and {@code tryIt} is a command a
     * user may run here to see whether the host answers.
     */
    static HostContact contact(RemoteHost host, Path launcherJar, String sha256, UnaryOperator<List<String>> remote,
            String inspect, String tryIt) throws IOException {
        String size = Long.toString(Files.size(launcherJar));
        long t0 = System.nanoTime();
        SshRun inspected = SshRun.run(remote.apply(List.of("sh", "-c", inspect, "sh", host.work(), host.java(),
                sha256, size)), null, BOUND_MILLIS);
        long roundTrip = (System.nanoTime() - t0) / 1_000_000;
        if (inspected.exit() == 90) {
            throw new IOException("host " + host.name() + ": cannot use its work folder '" + host.work() + "' (set "
                    + host.name() + "." + HostsConfiguration.WORK + "): " + inspected.failure());
        }
        if (inspected.exit() == 91 || inspected.exit() == 127) {
            throw new IOException("host " + host.name() + ": no java at '" + host.java() + "' ("
                    + inspected.stdout().strip() + "); set " + HostsConfiguration.PID + " " + host.name() + "."
                    + HostsConfiguration.JAVA + " to a JDK " + MIN_JAVA + "+ java binary there");
        }
        if (inspected.exit() != 0) {
            throw new IOException("host " + host.name() + " cannot be reached: " + inspected.failure() + " (try '"
                    + tryIt + "' here as this user; see " + HostsConfiguration.PID + " for its fields)");
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
            SshRun copy = SshRun.run(remote.apply(List.of("sh", "-c", COPY, "sh", host.work(), sha256, size)),
                    launcherJar, BOUND_MILLIS);
            if (copy.exit() != 0) {
                throw new IOException("host " + host.name() + ": the launcher jar could not be copied to " + jar
                        + ": " + copy.failure());
            }
            copied = true;
        }
        int swept = (int) inspected.stdout().lines().filter(SWEPT::equals).count();
        return new HostContact(jar, versionLine.strip(), major, copied, swept, roundTrip);
    }

    /** {@link #INSPECT}'s text, with or without the removal of dead children's folders. */
    private static String inspect(boolean sweep) {
        return """
            umask 077
            if test -d "$1"; then
              test -O "$1" || { echo "trampoline: $1 exists and is not the login's own folder" >&2; exit 90; }
            else
              mkdir -p "$1" && chmod 700 "$1" || exit 90
            fi
            mkdir -p "$1/launcher" "$1/children" || exit 90
            find "$1/launcher" -name '*.jar.*' -mmin +10 -exec rm -f {} + 2>/dev/null
            touch -c "$1/launcher/$3.jar"
            find "$1/launcher" "$1/store" -maxdepth 1 -name '*.jar' -mtime +30 -exec rm -f {} + 2>/dev/null
            """ + (sweep ? """
            for d in "$1/children"/child*; do
              test -d "$d" || continue
              p=$(cat "$d/pid" 2>/dev/null)
              if test -n "$p" && kill -0 "$p" 2>/dev/null; then continue; fi
              if test -n "$p" || test -n "$(find "$d" -maxdepth 0 -mmin +1)"; then
                rm -rf "$d" && echo 'trampoline: removed the folder of a dead child'
              fi
            done
            """ : "") + """
            "$2" -version 2>&1 || exit 91
            j="$1/launcher/$3.jar"
            if test -f "$j" && test "$(($(wc -c < "$j")))" -eq "$4"; then echo 'trampoline: launcher present'; fi
            """;
    }
}
