package dev.trampoline.runtime.internal.log;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.felix.service.command.CommandSession;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;

/**
 * Writes what the runtime and the bundles log through the OSGi Log Service to the console (standard error,
 * so command output on standard output stays clean, or above an interactive shell's prompt) and to the
 * runtime's log file.
 */
// Not a LogListener service: the Log Service 1.4 whiteboard would then deliver every entry twice. Offered as
// LogSink for the log: shell commands (display, tail, set, get).
@Component(immediate = true, service = LogSink.class)
public final class LogSink implements LogListener {

    /** Framework property: the log file (absent: no file). */
    static final String LOG_FILE = "trampoline.log.file";
    /** Framework property: the lowest level written (ERROR, WARN, INFO, DEBUG, TRACE). */
    static final String LOG_LEVEL = "trampoline.log.level";
    /** Framework property: whether to write to the console ({@code true} by default). */
    static final String LOG_CONSOLE = "trampoline.log.console";

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    @Reference
    private LogReaderService reader;

    @Reference
    private ConsoleOutput consoleOutput;

    /** How many recent entries {@code log:display} and {@code log:tail} can show, and their characters at most. */
    public static final int RING_ENTRIES = 1_000;
    static final long RING_CHARACTERS = 1024 * 1024;

    private volatile LogLevel threshold;
    /** Thresholds for one logger (and the loggers below it) or one bundle symbolic name, set at run time. */
    private final Map<String, LogLevel> overrides = new ConcurrentHashMap<>();
    private final LogRing ring = new LogRing(RING_ENTRIES, RING_CHARACTERS);
    private Path file;
    private boolean console;

    @Activate
    void activate(BundleContext context) {
        threshold = parseLevel(context.getProperty(LOG_LEVEL));
        String f = context.getProperty(LOG_FILE);
        file = f == null || f.isBlank() ? null : Paths.get(f);
        console = !"false".equalsIgnoreCase(context.getProperty(LOG_CONSOLE));
        // Entries logged before this component started (early framework and bundle events) are in the
        // reader's history, newest first; replay them oldest first so a startup error is not lost.
        java.util.List<LogEntry> earlier = java.util.Collections.list(reader.getLog());
        java.util.Collections.reverse(earlier);
        reader.addLogListener(this);
        earlier.forEach(this::logged);
    }

    @Deactivate
    void deactivate() {
        reader.removeLogListener(this);
        ring.close();
    }

    static LogLevel parseLevel(String value) {
        if (value == null || value.isBlank()) {
            return LogLevel.INFO;
        }
        try {
            return LogLevel.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return LogLevel.INFO;
        }
    }

    @Override
    public void logged(LogEntry entry) {
        if (!thresholdFor(entry).implies(levelOf(entry))) {
            return;
        }
        String line = format(entry);
        ring.add(line);
        if (console && !consoleOutput.followedHere()) {
            consoleOutput.print(line);
        }
        if (file != null) {
            try {
                Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND, StandardOpenOption.WRITE);
            } catch (IOException e) {
                // The console still has the entry; a log file that cannot be written must not stop the runtime.
            }
        }
    }

    /** The lowest level written, unless an override applies. */
    public LogLevel threshold() {
        return threshold;
    }

    public void setThreshold(LogLevel level) {
        threshold = level;
    }

    /** Sets the threshold of the logger {@code name} (and those below it) or of the bundle so named. */
    public void setThreshold(String name, LogLevel level) {
        overrides.put(name, level);
    }

    public Map<String, LogLevel> overrides() {
        return new TreeMap<>(overrides);
    }

    /** The newest {@code n} entries written (at most {@value #RING_ENTRIES} are kept), oldest first. */
    public List<String> last(int n) {
        return ring.last(n);
    }

    /**
     * Hands the newest {@code earlier} entries, then each entry written from now on to {@code out}, until the
     * thread is interrupted or the sink stops. While it follows
     * in the shell at this console, the console does not print the entries too.
     */
    public void follow(CommandSession session, int earlier, Consumer<String> out) throws InterruptedException {
        boolean here = consoleOutput.isThisConsole(session);
        if (here) {
            consoleOutput.following(1);
        }
        try {
            LogRing.Batch first = ring.tail(earlier);
            first.entries().forEach(out);
            long position = first.position();
            LogRing.Batch next;
            while ((next = ring.after(position)) != null) {
                position = next.position();
                next.entries().forEach(out);
            }
        } finally {
            if (here) {
                consoleOutput.following(-1);
            }
        }
    }

    /** A bundle's override, else that of the logger or the nearest logger above it ({@code a.b} for {@code a.b.c}). */
    LogLevel thresholdFor(LogEntry entry) {
        if (overrides.isEmpty()) {
            return threshold;
        }
        if (entry.getBundle() != null && entry.getBundle().getSymbolicName() != null) {
            LogLevel l = overrides.get(entry.getBundle().getSymbolicName());
            if (l != null) {
                return l;
            }
        }
        String name = entry.getLoggerName();
        while (name != null && !name.isEmpty()) {
            LogLevel l = overrides.get(name);
            if (l != null) {
                return l;
            }
            int dot = name.lastIndexOf('.');
            name = dot < 0 ? null : name.substring(0, dot);
        }
        return threshold;
    }

    /** Felix SCR: its INFO entries are its own start-up chatter (extender setting, version), at every start. */
    static final String SCR = "org.apache.felix.scr";

    /**
     * The Log Service records every bundle and service event at INFO; that is a trace of the framework's
     * work, not news for the user, so such entries count as DEBUG here. So do SCR's INFO entries (SCR's own
     * {@code ds.loglevel} does not apply once a Log Service is there). Errors and warnings keep their level.
     */
    static LogLevel levelOf(LogEntry entry) {
        if (entry.getLogLevel() != LogLevel.INFO) {
            return entry.getLogLevel();
        }
        String logger = entry.getLoggerName();
        if (logger != null && logger.startsWith("Events.")) {
            return LogLevel.DEBUG;
        }
        if (entry.getBundle() != null && SCR.equals(entry.getBundle().getSymbolicName())) {
            return LogLevel.DEBUG;
        }
        return LogLevel.INFO;
    }

    static String format(LogEntry entry) {
        StringBuilder sb = new StringBuilder();
        sb.append(TIME.format(Instant.ofEpochMilli(entry.getTime()))).append(' ')
                .append(String.format("%-5s", levelOf(entry))).append(" [")
                .append(entry.getBundle() == null ? "?" : entry.getBundle().getSymbolicName()).append("] ")
                .append(entry.getMessage()).append(System.lineSeparator());
        if (entry.getException() != null) {
            StringWriter trace = new StringWriter();
            entry.getException().printStackTrace(new PrintWriter(trace));
            sb.append(trace);
        }
        return sb.toString();
    }
}
