package dev.trampoline.runtime.internal.shell;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.Logger;
import org.osgi.service.log.admin.LoggerAdmin;
import org.osgi.service.log.admin.LoggerContext;

import dev.trampoline.runtime.internal.log.LogLevelConfigurations;
import dev.trampoline.runtime.internal.log.LogSink;
import dev.trampoline.runtime.internal.log.LogThresholds;
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

    @Reference
    private ConfigurationAdmin cm;

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
                // Ctrl-C interrupts this thread (ShellInterrupts): the tail ends quietly, back to the prompt, on a
                // line of its own (the terminal echoed ^C; a line left open gets JLine's marker)
                out.println();
            }
            return null;
        });
    }

    @Descriptor("sets the lowest level the runtime's log writes (ERROR, WARN, INFO, DEBUG, TRACE) and the level"
            + " bundles' loggers have (isDebugEnabled() and the like), here and in child JVMs, until the runtime"
            + " stops")
    public String set(@Descriptor("ERROR, WARN, INFO, DEBUG or TRACE") String level) throws IOException {
        LogLevel l = parse(level);
        // The level the runtime started with is the Log Service's default: no configuration needed for it, and
        // children keep their own default (see ChildFrameworkProperties) as they did before any log:set.
        apply(null, levels().put(null, Logger.ROOT_LOGGER_NAME, l == log.startLevel() ? null : l, log.run()));
        return "Log level " + l;
    }

    @Descriptor("sets the level of one logger (and the loggers below it) and of all loggers of the bundle with"
            + " that symbolic name (installed or not yet), here and in child JVMs, until the runtime stops")
    public String set(@Descriptor("ERROR, WARN, INFO, DEBUG or TRACE") String level,
            @Descriptor("a logger name or a bundle symbolic name") String logger) throws IOException {
        LogLevel l = parse(level);
        LogLevelConfigurations levels = levels();
        apply(null, levels.put(null, logger, l, log.run())); // the loggers of that name in every bundle
        apply(logger, levels.put(logger, Logger.ROOT_LOGGER_NAME, l, log.run())); // every logger of that bundle
        return "Log level " + l + " for logger or bundle " + logger;
    }

    /**
     * Felix Log applies the configuration a moment later, on Configuration Admin's event thread; applied here too,
     * the levels hold when log:set returns (the sink's too). Children get them over their channels.
     */
    private void apply(String bundle, Map<String, LogLevel> levels) {
        LoggerAdmin admin = loggerAdmin;
        if (admin != null) {
            admin.getLoggerContext(bundle).setLogLevels(levels);
        }
        log.reloadLevels();
    }

    private LogLevelConfigurations levels() {
        return new LogLevelConfigurations(cm);
    }

    @Descriptor("shows the runtime log's level, the levels set for single loggers or bundles, and the Log"
            + " Service's levels (LoggerAdmin)")
    public String get() {
        StringBuilder out = new StringBuilder();
        LogThresholds thresholds = log.thresholds();
        out.append("Runtime log: ").append(thresholds.root()).append('\n');
        thresholds.sortedOverrides().forEach((name, l) -> out.append(String.format("  %-40s %s%n", name, l)));
        LoggerAdmin admin = loggerAdmin;
        if (admin != null) {
            LoggerContext root = admin.getLoggerContext(null);
            out.append("Log Service (LoggerAdmin): ").append(root.getEffectiveLogLevel(Logger.ROOT_LOGGER_NAME))
                    .append('\n');
            // log:set NAME sets both the logger NAME (root context) and bundle NAME's context: say which is which.
            root.getLogLevels().forEach((name, l) -> {
                if (!Logger.ROOT_LOGGER_NAME.equals(name)) {
                    out.append(String.format("  %-40s %s%n", "logger " + name, l));
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
                            "bundle " + bsn + (Logger.ROOT_LOGGER_NAME.equals(name) ? "" : ", logger " + name), l)));
                }
            }
        }
        return out.toString();
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
