package dev.trampoline.runtime.internal.log;

import java.io.IOException;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.Logger;

import dev.trampoline.runtime.internal.deploy.ConfigFileWriteBack;

/**
 * The Log Service's levels as Configuration Admin configurations (OSGi Compendium Log Service 1.4, 101.8): PID
 * {@value #ROOT_PID} for the root logger context, {@value #ROOT_PID}{@code |BSN} for the context of the bundle
 * BSN; each key a logger name ({@code ROOT}: all), each value a level name. Felix Log applies them to its
 * LoggerAdmin, the runtime copies them into every child JVM (whose Felix Log applies them there too), and the
 * log sink of each takes its thresholds from them ({@link #read}).
 *
 * <p>What {@code log:set} writes lasts until the runtime stops: each configuration it writes is marked with the
 * framework's UUID (new at every launch), and at the next start {@link #forgetEarlierRuns} deletes those marked
 * by another launch, unless they came from a file in a deploy folder (that file decides them again).
 */
public final class LogLevelConfigurations {

    public static final String ROOT_PID = "org.osgi.service.log.admin";
    static final String SEPARATOR = "|";
    /** Set in a configuration {@code log:set} wrote: the UUID of the framework launch that wrote it. */
    static final String WRITTEN_BY = "trampoline.log.set.by";

    private final ConfigurationAdmin cm;

    public LogLevelConfigurations(ConfigurationAdmin cm) {
        this.cm = cm;
    }

    /**
     * Sets the level of {@code logger} ({@link Logger#ROOT_LOGGER_NAME}: every logger) in the root context
     * ({@code bundle} null) or the context of the bundle so named; a null {@code level} removes it, and a
     * configuration left without levels is deleted.
     *
     * @param run the UUID of this framework launch, marking the configuration as lasting for this run only
     * @return the context's levels now, as Felix Log will apply them (a caller may apply them at once)
     */
    public Map<String, LogLevel> put(String bundle, String logger, LogLevel level, String run) throws IOException {
        Configuration c = cm.getConfiguration(bundle == null ? ROOT_PID : ROOT_PID + SEPARATOR + bundle, "?");
        Dictionary<String, Object> current = c.getProperties();
        Hashtable<String, Object> next = new Hashtable<>();
        if (current != null) {
            Collections.list(current.keys()).forEach(k -> next.put(k, current.get(k)));
        }
        if (level == null) {
            next.remove(logger);
        } else {
            next.put(logger, level.name());
        }
        Map<String, LogLevel> levels = new HashMap<>();
        next.forEach((k, v) -> {
            if (parse(v) != null) {
                levels.put(k, parse(v));
            }
        });
        if (levels.isEmpty() && !next.containsKey(ConfigFileWriteBack.FILENAME_PROPERTY)) {
            if (current != null) {
                c.delete();
            }
            return levels;
        }
        next.put(WRITTEN_BY, run);
        c.update(next);
        return levels;
    }

    /** The thresholds the configurations give, {@code start} where none gives the root level. */
    public LogThresholds read(LogLevel start) throws IOException {
        LogLevel root = start;
        Map<String, LogLevel> overrides = new HashMap<>();
        for (Configuration c : all(null)) {
            String pid = c.getPid();
            String context = pid.startsWith(ROOT_PID + SEPARATOR) ? pid.substring(ROOT_PID.length() + 1) : null;
            if (context == null && !pid.equals(ROOT_PID)) {
                continue; // another PID that starts with the same letters
            }
            Dictionary<String, Object> props = c.getProperties();
            for (String key : props == null ? List.<String>of() : Collections.list(props.keys())) {
                LogLevel l = parse(props.get(key));
                if (l == null) {
                    continue;
                }
                boolean all = Logger.ROOT_LOGGER_NAME.equals(key);
                if (context == null && all) {
                    root = l;
                } else {
                    overrides.put(context == null ? key : all ? context : context + SEPARATOR + key, l);
                }
            }
        }
        return new LogThresholds(root, overrides);
    }

    /** Deletes what {@code log:set} wrote in an earlier launch (not {@code run}), configurations from files aside. */
    public void forgetEarlierRuns(String run) throws IOException {
        for (Configuration c : all(WRITTEN_BY)) {
            Dictionary<String, Object> props = c.getProperties();
            if (props != null && !run.equals(props.get(WRITTEN_BY))
                    && props.get(ConfigFileWriteBack.FILENAME_PROPERTY) == null) {
                c.delete();
            }
        }
    }

    /** Whether {@code pid} is one of the Log Service's level configurations. */
    public static boolean isLevels(String pid) {
        return pid.equals(ROOT_PID) || pid.startsWith(ROOT_PID + SEPARATOR);
    }

    private Configuration[] all(String withKey) throws IOException {
        String filter = "(" + Constants.SERVICE_PID + "=" + ROOT_PID + "*)";
        if (withKey != null) {
            filter = "(&" + filter + "(" + withKey + "=*))";
        }
        try {
            Configuration[] found = cm.listConfigurations(filter);
            return found == null ? new Configuration[0] : found;
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(filter, e);
        }
    }

    /** The level a configuration value names (any case, as Felix Log reads it), or null. */
    static LogLevel parse(Object value) {
        if (!(value instanceof String s)) {
            return null;
        }
        try {
            return LogLevel.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
