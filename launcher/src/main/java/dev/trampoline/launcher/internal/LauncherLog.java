package dev.trampoline.launcher.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

import org.osgi.framework.BundleContext;

/**
 * The launcher's own messages, before and around the framework: to standard error and to the same log
 * file the runtime's Log Service entries go to, in the same line format. While the framework runs
 * ({@link #attach} to {@link #detach}) they go through the Log Service instead, as the entries of
 * {@code [launcher]}, so that the log sink writes them in order with the rest and {@code log:display} shows them.
 */
public final class LauncherLog {

    private static final List<String> LEVELS = List.of("ERROR", "WARN", "INFO", "DEBUG", "TRACE");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private final Path file;
    private final String level;
    private final boolean console;
    private final PrintStream err = System.err;
    private volatile LogServiceLogger logService;

    public LauncherLog(Path file, String level, boolean console) {
        this.file = file;
        this.level = normalize(level);
        this.console = console;
    }

    /** The level name, upper case; throws for a name that is not a level. */
    public static String normalize(String level) {
        String l = level == null ? "INFO" : level.trim().toUpperCase(Locale.ROOT);
        if (l.equals("WARNING")) {
            l = "WARN";
        }
        if (!LEVELS.contains(l)) {
            throw new IllegalArgumentException("unknown log level '" + level + "' (use one of " + LEVELS + ")");
        }
        return l;
    }

    /** From now on, messages for the console go through the Log Service of {@code system}'s framework, if any. */
    public void attach(BundleContext system) {
        logService = LogServiceLogger.of(system);
    }

    /** The framework stops: messages are written here again. */
    public void detach() {
        LogServiceLogger l = logService;
        logService = null;
        if (l != null) {
            l.close();
        }
    }

    public String level() {
        return level;
    }

    public boolean enabled(String messageLevel) {
        return LEVELS.indexOf(messageLevel) <= LEVELS.indexOf(level);
    }

    public void error(String message) {
        write("ERROR", message, true);
    }

    public void warn(String message) {
        write("WARN", message, true);
    }

    public void info(String message) {
        write("INFO", message, true);
    }

    /** Writes to the log file only (for messages the console gets another way). */
    public void fileOnly(String messageLevel, String message) {
        write(messageLevel, message, false);
    }

    private void write(String messageLevel, String message, boolean toConsole) {
        if (!enabled(messageLevel)) {
            return;
        }
        LogServiceLogger l = logService;
        if (toConsole && l != null && l.log(messageLevel, message)) {
            return; // the log sink writes it to the console and the file
        }
        String line = TIME.format(LocalDateTime.now()) + " " + String.format("%-5s", messageLevel)
                + " [launcher] " + message + System.lineSeparator();
        if (toConsole && console) {
            err.print(line);
            err.flush();
        }
        try {
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            // the console has it; a log file that cannot be written must not stop the runtime
        }
    }
}
