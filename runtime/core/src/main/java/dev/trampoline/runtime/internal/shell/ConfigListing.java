package dev.trampoline.runtime.internal.shell;

import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

import org.osgi.framework.Constants;
import org.osgi.service.cm.ConfigurationAdmin;

import dev.trampoline.runtime.internal.deploy.ConfigFileWriteBack;
import dev.trampoline.runtime.internal.deploy.TypedValues;

/** How the config: commands show a configuration: its PIDs, where it is kept, its properties by key. */
final class ConfigListing {

    /** Shown in the header of a configuration, not among its properties. */
    static final Set<String> HEADER_KEYS = Set.of(Constants.SERVICE_PID, ConfigurationAdmin.SERVICE_FACTORYPID,
            ConfigurationAdmin.SERVICE_BUNDLELOCATION, ConfigFileWriteBack.FILENAME_PROPERTY);

    static final String NO_FILE = "none: kept by Configuration Admin in the framework cache"
            + " (STORAGE/cache, which --clean empties)";

    private ConfigListing() {
    }

    static void describe(String pid, String factoryPid, Dictionary<String, Object> properties, StringBuilder out) {
        out.append("Pid:        ").append(pid).append('\n');
        if (factoryPid != null) {
            out.append("FactoryPid: ").append(factoryPid).append('\n');
        }
        out.append("File:       ").append(where(properties)).append('\n');
        out.append("Properties:\n");
        SortedMap<String, Object> sorted = sorted(properties);
        if (sorted.isEmpty()) {
            out.append("  (none)\n");
        }
        sorted.forEach((k, v) -> {
            out.append("  ").append(k).append(" = ").append(text(v));
            if (!(v instanceof String)) {
                out.append(" (").append(TypedValues.typeName(v)).append(')');
            }
            out.append('\n');
        });
    }

    /** Where a change to the configuration is kept: its deploy-folder file, or Configuration Admin's storage. */
    static String where(Dictionary<String, Object> properties) {
        Path named = ConfigFileWriteBack.namedFile(properties);
        if (named == null) {
            return NO_FILE;
        }
        return Files.isRegularFile(named) ? named.toString()
                : named + " (no longer exists: changes are kept by Configuration Admin only)";
    }

    static SortedMap<String, Object> sorted(Dictionary<String, Object> properties) {
        SortedMap<String, Object> sorted = new TreeMap<>();
        if (properties == null) {
            return sorted;
        }
        for (Enumeration<String> keys = properties.keys(); keys.hasMoreElements();) {
            String k = keys.nextElement();
            if (!HEADER_KEYS.contains(k)) {
                sorted.put(k, properties.get(k));
            }
        }
        return sorted;
    }

    /** A value as text: arrays and lists as their elements separated by commas, as config:set takes them. */
    static String text(Object value) {
        if (value != null && value.getClass().isArray()) {
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < Array.getLength(value); i++) {
                parts.add(String.valueOf(Array.get(value, i)));
            }
            return String.join(", ", parts);
        }
        if (value instanceof Collection<?> c) {
            List<String> parts = new ArrayList<>();
            c.forEach(e -> parts.add(String.valueOf(e)));
            return String.join(", ", parts);
        }
        return String.valueOf(value);
    }

    /** A PID pattern: {@code *} matches any text; without one, the pattern matches any PID that contains it. */
    static boolean matches(String pattern, String pid) {
        if (pid == null) {
            return false;
        }
        if (!pattern.contains("*")) {
            return pid.contains(pattern);
        }
        StringBuilder regex = new StringBuilder();
        for (String part : pattern.split("\\*", -1)) {
            regex.append(java.util.regex.Pattern.quote(part)).append(".*");
        }
        regex.setLength(regex.length() - 2);
        return pid.matches(regex.toString());
    }
}
