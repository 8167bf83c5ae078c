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
import java.util.Map;
import java.util.function.Consumer;

import org.apache.felix.service.command.CommandSession;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.Constants;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;

import dev.trampoline.runtime.contract.internal.ChildProperties;

/**
 * Writes what the runtime and the bundles log through the OSGi Log Service to the console (standard error,
 * so command output on standard output stays clean, or above an interactive shell's prompt) and to the
 * runtime's log file.
 */
// Not a LogListener service: the Log Service 1.4 whiteboard would then deliver every entry twice. Offered as
// LogSink for the log: shell commands (display, tail, set, get).
@Component(immediate = true, service = LogSink.class)
public final class LogSink implements LogListener, ConfigurationListener {

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

    @Reference
    private ConfigurationAdmin cm;

    private LogLevel start = LogLevel.INFO;
    private volatile LogThresholds thresholds = new LogThresholds(LogLevel.INFO, Map.of());
    private volatile LogLevelConfigurations levels;
    private ServiceRegistration<ConfigurationListener> levelListener;
    private String run;
    private boolean inChild;
    private final HistoryThenLive ordered = new HistoryThenLive(this::write);
    private final LogRing ring = new LogRing(RING_ENTRIES, RING_CHARACTERS);
    private Path file;
    private boolean console;

    @Activate
    void activate(BundleContext context) {
        start = parseLevel(context.getProperty(LOG_LEVEL));
        run = context.getProperty(Constants.FRAMEWORK_UUID);
        levels = new LogLevelConfigurations(cm);
        // Listening before the first read, so a level configuration created meanwhile (the deployer applies the
        // deploy folder's files as this starts) is either read or reported: registered by DS, the listener came
        // after activation, and a configuration created in between was missed.
        levelListener = context.registerService(ConfigurationListener.class, this, null);
        String f = context.getProperty(LOG_FILE);
        file = f == null || f.isBlank() ? null : Paths.get(f);
        console = !"false".equalsIgnoreCase(context.getProperty(LOG_CONSOLE));
        inChild = "true".equals(context.getProperty(ChildProperties.IN_CHILD));
        if (!inChild) {
            try { // a child's are its parent's, copied: the parent forgets them
                levels.forgetEarlierRuns(run);
            } catch (IOException | RuntimeException e) {
                write(LogLevel.WARN, "Levels log:set gave in an earlier run could not be forgotten: " + e);
            }
        }
        reloadLevels();
        // Entries logged before this component started (early framework and bundle events) are in the
        // reader's history: listening first, then the history, then what came meanwhile, none lost or twice.
        reader.addLogListener(this);
        ordered.history(reader.getLog());
    }

    @Deactivate
    void deactivate() {
        levelListener.unregister();
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
        ordered.live(entry);
    }

    /** A Log Service level configuration changed (here or, in a child, in the parent): the thresholds follow. */
    @Override
    public void configurationEvent(ConfigurationEvent event) {
        if (LogLevelConfigurations.isLevels(event.getPid())) {
            reloadLevels();
        }
    }

    /** Takes the thresholds from the Log Service's level configurations again (see {@link LogLevelConfigurations}). */
    public synchronized void reloadLevels() {
        LogLevelConfigurations l = levels;
        if (l == null) {
            return; // an event before activation: activation reads them
        }
        try {
            thresholds = l.read(start);
        } catch (IOException | RuntimeException e) {
            write(LogLevel.WARN, "The log levels could not be read from Configuration Admin: " + e);
        }
    }

    private void write(LogEntry entry) {
        if (!thresholdFor(entry).implies(levelOf(entry))) {
            return;
        }
        write(format(entry, inChild));
    }

    /** A message of the sink's own, written as an entry of the core bundle would be. */
    private void write(LogLevel level, String message) {
        write(TIME.format(Instant.now()) + ' ' + String.format("%-5s", level) + " [" + CORE + "] " + message
                + System.lineSeparator());
    }

    private synchronized void write(String line) {
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

    /** The thresholds now: the root's and those of single loggers and bundles. */
    public LogThresholds thresholds() {
        return thresholds;
    }

    /** The UUID of this framework launch, which marks what {@code log:set} writes as lasting for this run. */
    public String run() {
        return run;
    }

    /** The level the runtime started with ({@code --log-level}). */
    public LogLevel startLevel() {
        return start;
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

    LogLevel thresholdFor(LogEntry entry) {
        return thresholds.thresholdFor(entry);
    }

    private static final String CORE = "dev.trampoline.runtime.core";

    /** Felix SCR: its INFO entries are its own start-up chatter (extender setting, version), at every start. */
    static final String SCR = "org.apache.felix.scr";

    /**
     * The Log Service records every bundle and service event at INFO; that is a trace of the framework's
     * work, not news for the user, so such entries count as DEBUG here. So do SCR's INFO entries (SCR's own
     * {@code ds.loglevel} does not apply once a Log Service is there). Errors and warnings keep their level.
     */
    /** The logger name the launcher logs with, through the system bundle's {@code LoggerFactory}. */
    static final String LAUNCHER = "launcher";

    private static String origin(LogEntry entry) {
        if (entry.getBundle() == null) {
            return "?";
        }
        if (entry.getBundle().getBundleId() == 0 && LAUNCHER.equals(entry.getLoggerName())) {
            return LAUNCHER;
        }
        return entry.getBundle().getSymbolicName();
    }

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

    /**
     * {@code time LEVEL [bundle] message}; the launcher's own entries (the system bundle's logger
     * {@value #LAUNCHER}) as {@code [launcher]}. In a child JVM {@code [bundle|logger]}: its parent logs the
     * entry again as that bundle's logger (see the remote bundle's {@code ChildLogRelay}), so that the
     * parent's levels for that bundle and logger apply as they did here.
     */
    static String format(LogEntry entry, boolean inChild) {
        StringBuilder sb = new StringBuilder();
        sb.append(TIME.format(Instant.ofEpochMilli(entry.getTime()))).append(' ')
                .append(String.format("%-5s", levelOf(entry))).append(" [").append(origin(entry));
        if (inChild && entry.getLoggerName() != null && entry.getBundle() != null) {
            sb.append(LogLevelConfigurations.SEPARATOR).append(entry.getLoggerName());
        }
        sb.append("] ").append(entry.getMessage()).append(System.lineSeparator());
        if (entry.getException() != null) {
            StringWriter trace = new StringWriter();
            entry.getException().printStackTrace(new PrintWriter(trace));
            sb.append(trace);
        }
        return sb.toString();
    }
}
