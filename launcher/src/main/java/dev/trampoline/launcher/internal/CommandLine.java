package dev.trampoline.launcher.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The launcher's command line, parsed; a malformed one throws {@link UsageException} (exit code 2). */
public record CommandLine(List<DeployFolder> deployFolders, Path storage, boolean clean, Map<String, String> properties,
        String logLevel, String exec, boolean noShell, boolean help, boolean version) {

    /** A command line that cannot be run; its message says what is wrong. */
    public static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        public UsageException(String message) {
            super(message);
        }
    }

    public static final String USAGE = String.join(System.lineSeparator(),
            "Usage: java -jar trampoline.jar [options]",
            "",
            "  --deploy DIR[@N]    watch DIR for bundles and configuration files (repeatable; default ./deploy);",
            "                      N: their start level, lower levels start first (default 1)",
            "  --storage DIR       framework cache, log file and runtime data (default ./.trampoline)",
            "  --clean             start from an empty framework cache",
            "  -Dkey=value         set a framework property",
            "  --log-level LEVEL   ERROR, WARN, INFO (default), DEBUG or TRACE",
            "  --exec \"COMMAND\"    run one Gogo command line once the deploy folders are scanned, then stop;",
            "                      exit 0 on success, 1 if the command failed",
            "  --no-shell          run headless until SIGINT/SIGTERM",
            "  --help              show this help",
            "  --version           show the version",
            "",
            "Without --exec or --no-shell: an interactive shell when standard input is a terminal,",
            "otherwise one command per line read from standard input (exit 1 if any failed).",
            "In the shell, exit (or Ctrl-D, or stop 0) stops the runtime; exit N exits with status N.");

    public static CommandLine parse(String... args) throws UsageException {
        List<DeployFolder> deploy = new ArrayList<>();
        Path storage = null;
        boolean clean = false;
        Map<String, String> props = new LinkedHashMap<>();
        String level = "INFO";
        String exec = null;
        boolean noShell = false;
        boolean help = false;
        boolean version = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--deploy" -> deploy.add(deployFolder(deploy, value(args, ++i, a)));
                case "--storage" -> storage = Path.of(value(args, ++i, a));
                case "--clean" -> clean = true;
                case "--log-level" -> level = value(args, ++i, a);
                case "--exec" -> {
                    if (exec != null) {
                        throw new UsageException("--exec may be given once");
                    }
                    exec = value(args, ++i, a);
                }
                case "--no-shell" -> noShell = true;
                case "--help", "-h" -> help = true;
                case "--version" -> version = true;
                default -> {
                    if (a.startsWith("-D") && a.length() > 2) {
                        int eq = a.indexOf('=');
                        if (eq == 2) {
                            throw new UsageException("-D needs a key: " + a);
                        }
                        props.put(eq < 0 ? a.substring(2) : a.substring(2, eq), eq < 0 ? "" : a.substring(eq + 1));
                    } else {
                        throw new UsageException("unknown option " + a);
                    }
                }
            }
        }
        try {
            level = LauncherLog.normalize(level);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (exec != null && noShell) {
            throw new UsageException("--exec and --no-shell cannot be combined");
        }
        if (deploy.isEmpty()) {
            deploy.add(new DeployFolder(Path.of("deploy"), DeployFolder.DEFAULT));
        }
        return new CommandLine(List.copyOf(deploy), storage == null ? Path.of(".trampoline") : storage, clean,
                Map.copyOf(props), level, exec, noShell, help, version);
    }

    /** {@code DIR} or {@code DIR@LEVEL}; one folder given twice must have one level. */
    private static DeployFolder deployFolder(List<DeployFolder> given, String value) throws UsageException {
        DeployFolder folder;
        try {
            folder = DeployFolder.parse(value, "--deploy");
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        for (DeployFolder other : given) {
            if (other.absolute().folder().equals(folder.absolute().folder())
                    && other.startLevel() != folder.startLevel()) {
                throw new UsageException("--deploy " + folder.folder() + " is given twice, with different start"
                        + " levels; give it once");
            }
        }
        return folder;
    }

    private static String value(String[] args, int i, String option) throws UsageException {
        if (i >= args.length || args[i].isEmpty()) {
            throw new UsageException(option + " needs a value");
        }
        return args[i];
    }
}
