package dev.trampoline.runtime.internal.shell;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.Logger;
import org.osgi.service.log.admin.LoggerAdmin;
import org.osgi.service.log.admin.LoggerContext;

import dev.trampoline.runtime.internal.log.LogSink;
import dev.trampoline.runtime.internal.shell.interrupt.ShellInterrupts;

/**
 * {@code log:display}, {@code log:tail}, {@code log:set} and {@code log:get}: the runtime's own log (what its
 * log sink writes to the console and the log file, child JVMs' lines included) and its levels.
 */
@Component(service = LogCommand.class, property = {
    "osgi.command.scope=log",
    "osgi.command.function=display",
    "osgi.command.function=tail",
    "osgi.command.function=set",
    "osgi.command.function=get"
})
public final class LogCommand {

    static final int DEFAULT_LINES = 50;

    @Reference
    private LogSink log;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile LoggerAdmin loggerAdmin;

    private BundleContext context;

    @Activate
    void activate(BundleContext context) {
        this.context = context;
    }

    @Descriptor("shows the last " + DEFAULT_LINES + " entries of the runtime's log, as written to the log file")
    public String display() {
        return display(DEFAULT_LINES);
    }

    @Descriptor("shows the last N entries of the runtime's log (the last " + LogSink.RING_ENTRIES + " are kept in memory)")
    public String display(@Descriptor("how many entries") int n) {
        return String.join("", log.last(n));
    }

    static final int TAIL_LINES = 10;

    @Descriptor("shows the last " + TAIL_LINES + " entries of the runtime's log, then each new entry as it comes,"
            + " until Ctrl-C")
    public void tail(CommandSession session) throws Exception {
        PrintStream out = session.getConsole();
        ShellInterrupts.run(session, () -> {
            try {
                log.follow(session, TAIL_LINES, entry -> {
                    out.print(entry);
                    out.flush();
                });
            } catch (InterruptedException e) {
                // Ctrl-C interrupts this thread (ShellInterrupts): the tail ends quietly, back to the prompt
            }
            return null;
        });
    }

    @Descriptor("sets the lowest level the runtime's log writes (ERROR, WARN, INFO, DEBUG, TRACE), and the level"
            + " the Log Service gives bundles' loggers (isDebugEnabled() and the like) through its LoggerAdmin")
    public String set(@Descriptor("ERROR, WARN, INFO, DEBUG or TRACE") String level) {
        LogLevel l = parse(level);
        log.setThreshold(l);
        LoggerAdmin admin = loggerAdmin;
        if (admin != null) {
            put(admin.getLoggerContext(null), Logger.ROOT_LOGGER_NAME, l);
        }
        return "Log level " + l + (admin == null ? " (the runtime's log only: no LoggerAdmin)" : "");
    }

    @Descriptor("sets the level of one logger (and the loggers below it) and of all loggers of the bundle with"
            + " that symbolic name (installed or not yet), in the runtime's log and in the Log Service's LoggerAdmin")
    public String set(@Descriptor("ERROR, WARN, INFO, DEBUG or TRACE") String level,
            @Descriptor("a logger name or a bundle symbolic name") String logger) {
        LogLevel l = parse(level);
        log.setThreshold(logger, l);
        LoggerAdmin admin = loggerAdmin;
        if (admin != null) {
            put(admin.getLoggerContext(null), logger, l); // the loggers of that name in every bundle
            put(admin.getLoggerContext(logger), Logger.ROOT_LOGGER_NAME, l); // every logger of that bundle
        }
        return "Log level " + l + " for logger or bundle " + logger
                + (admin == null ? " (the runtime's log only: no LoggerAdmin)" : "");
    }

    @Descriptor("shows the runtime log's level, the levels set for single loggers or bundles, and the Log"
            + " Service's levels (LoggerAdmin)")
    public String get() {
        StringBuilder out = new StringBuilder();
        out.append("Runtime log: ").append(log.threshold()).append('\n');
        log.overrides().forEach((name, l) -> out.append(String.format("  %-40s %s%n", name, l)));
        LoggerAdmin admin = loggerAdmin;
        if (admin != null) {
            LoggerContext root = admin.getLoggerContext(null);
            out.append("Log Service (LoggerAdmin): ").append(root.getEffectiveLogLevel(Logger.ROOT_LOGGER_NAME))
                    .append('\n');
            root.getLogLevels().forEach((name, l) -> {
                if (!Logger.ROOT_LOGGER_NAME.equals(name)) {
                    out.append(String.format("  %-40s %s%n", name, l));
                }
            });
            for (Bundle b : context.getBundles()) {
                String bsn = b.getSymbolicName();
                if (bsn == null) {
                    continue;
                }
                LoggerContext c = admin.getLoggerContext(bsn);
                if (!c.isEmpty()) {
                    c.getLogLevels().forEach((name, l) -> out.append(String.format("  %-40s %s%n",
                            Logger.ROOT_LOGGER_NAME.equals(name) ? bsn : bsn + ": " + name, l)));
                }
            }
        }
        return out.toString();
    }

    private static void put(LoggerContext c, String name, LogLevel level) {
        Map<String, LogLevel> levels = c.getLogLevels();
        levels.put(name, level);
        c.setLogLevels(levels);
    }

    static LogLevel parse(String level) {
        try {
            return LogLevel.valueOf(level.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Not a log level: " + level + " (one of " + List.of(
                    LogLevel.ERROR, LogLevel.WARN, LogLevel.INFO, LogLevel.DEBUG, LogLevel.TRACE) + ")");
        }
    }
}
