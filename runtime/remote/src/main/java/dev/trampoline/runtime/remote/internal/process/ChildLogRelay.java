package dev.trampoline.runtime.remote.internal.process;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * Logs a child's entries in this runtime's log as the entries of the bundle and logger that made them in the
 * child. A child's log sink writes an entry as {@code time LEVEL [bsn|logger] message} (see the core bundle's
 * {@code LogSink}); the child's Log Service and sink let it through by the levels {@code log:set} gave, which the
 * child has as configurations copied from this runtime. Logged here through the same bundle's logger of the same
 * name, the entry meets the same levels again and passes: a plugin's DEBUG entry in a child shows exactly when
 * it would in this runtime. Lines that name no bundle installed here (plain output, a JVM message) go through
 * the remote bundle's own logger, as {@code [child PID] line}.
 */
public final class ChildLogRelay {

    /** {@code [bsn|logger] message}, as a child's log sink writes an entry after its time and level. */
    static final Pattern ORIGIN = Pattern.compile("\\[([^\\]|\\s]+)\\|([^\\]\\s]+)\\] (.*)", Pattern.DOTALL);

    private final BundleContext context;
    private final LoggerFactory loggers;
    private final Logger own;

    /** {@code context} and {@code loggers} null: every line goes through {@code own}. */
    public ChildLogRelay(BundleContext context, LoggerFactory loggers, Logger own) {
        this.context = context;
        this.loggers = loggers;
        this.own = own;
    }

    /** The sink of one child's lines; a stack trace's lines go with the entry they continue. */
    ChildStderr.Sink forChild(long pid) {
        return new ChildStderr.Sink() {
            private Logger last = own;

            @Override
            public void line(String level, String text) {
                Matcher m = ORIGIN.matcher(text);
                Logger origin = m.matches() ? loggerOf(m.group(1), m.group(2)) : null;
                if (origin != null) {
                    last = origin;
                    log(origin, level, pid, m.group(3));
                } else {
                    last = own;
                    log(own, level, pid, m.matches() ? "[" + m.group(1) + "] " + m.group(3) : text);
                }
            }

            @Override
            public void continued(String level, String text) {
                log(last, level, pid, text);
            }
        };
    }

    private Logger loggerOf(String symbolicName, String loggerName) {
        if (context == null || loggers == null) {
            return null;
        }
        try {
            for (Bundle b : context.getBundles()) {
                if (symbolicName.equals(b.getSymbolicName())) {
                    return loggers.getLogger(b, loggerName, Logger.class);
                }
            }
        } catch (IllegalStateException | IllegalArgumentException e) {
            // this bundle stopping, or the bundle gone meanwhile: the remote bundle's logger takes the line
        }
        return null;
    }

    private static void log(Logger log, String level, long pid, String text) {
        switch (level) {
            case "ERROR" -> log.error("[child {}] {}", pid, text);
            case "WARN" -> log.warn("[child {}] {}", pid, text);
            case "DEBUG" -> log.debug("[child {}] {}", pid, text);
            case "TRACE" -> log.trace("[child {}] {}", pid, text);
            default -> log.info("[child {}] {}", pid, text);
        }
    }
}
