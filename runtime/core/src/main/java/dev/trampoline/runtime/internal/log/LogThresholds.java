package dev.trampoline.runtime.internal.log;

import java.util.Map;
import java.util.TreeMap;

import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;

/**
 * The lowest level the log sink writes for an entry: {@code root}, unless an override names the entry's bundle
 * ({@code bsn}), one of the bundle's loggers or a logger above it ({@code bsn|a.b} for the bundle's {@code a.b.C}),
 * or its logger or a logger above it in any bundle ({@code a.b} covers {@code a.b.c}). The same names the Log
 * Service's configurations use (see {@link LogLevelConfigurations}).
 */
public record LogThresholds(LogLevel root, Map<String, LogLevel> overrides) {

    public LogThresholds {
        overrides = Map.copyOf(overrides);
    }

    /** The bundle's loggers, the bundle, then the loggers of every bundle, the nearest name first; else root. */
    public LogLevel thresholdFor(String bundle, String logger) {
        if (overrides.isEmpty()) {
            return root;
        }
        if (bundle != null) {
            LogLevel l = nearest(bundle + LogLevelConfigurations.SEPARATOR, logger);
            if (l == null) {
                l = overrides.get(bundle);
            }
            if (l != null) {
                return l;
            }
        }
        LogLevel l = nearest("", logger);
        return l == null ? root : l;
    }

    LogLevel thresholdFor(LogEntry entry) {
        String bundle = entry.getBundle() == null ? null : entry.getBundle().getSymbolicName();
        return thresholdFor(bundle, entry.getLoggerName());
    }

    private LogLevel nearest(String prefix, String logger) {
        String name = logger;
        while (name != null && !name.isEmpty()) {
            LogLevel l = overrides.get(prefix + name);
            if (l != null) {
                return l;
            }
            int dot = name.lastIndexOf('.');
            name = dot < 0 ? null : name.substring(0, dot);
        }
        return null;
    }

    /** The overrides sorted by name, for {@code log:get}. */
    public Map<String, LogLevel> sortedOverrides() {
        return new TreeMap<>(overrides);
    }
}
