package dev.trampoline.runtime.remote.internal.snapshot;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import org.osgi.framework.Constants;

import dev.trampoline.runtime.contract.internal.ChildProperties;

/**
 * The framework properties a child starts with: the parent's (command-line {@code -D}, {@code frameworkProperty}
 * when embedded, the launcher's defaults), less those that are the parent's alone, with
 * {@value #CHILD_ONLY_PREFIX}{@code KEY=VALUE} setting {@code KEY} in children only.
 */
public final class ChildFrameworkProperties {

    /** Set by the launcher: the keys of the properties the framework was started with (comma-separated). */
    public static final String INHERITED_KEYS = ChildProperties.INHERITED_KEYS;
    public static final String CHILD_ONLY_PREFIX = "trampoline.child.property.";
    /** The runtime's log level (the launcher's {@code --log-level}), which its children log at too. */
    public static final String LOG_LEVEL = "trampoline.log.level";
    /**
     * The parent's alone: its storage, deploy folders, shell and log file; its role and the list of keys
     * (every child sets its own); its standby count (a child that makes calls keeps no standby children);
     * what the launcher sets for a child itself; the framework's diagnostics level, which goes with a logger
     * object only the parent has; and the Log Service's level: below WARN it records every framework event of a
     * child's start (about 170 ms of it on two cores), so a child keeps the Log Service's default, WARN, unless
     * {@code trampoline.child.property.org.osgi.service.log.admin.loglevel} says otherwise. The runtime's own log
     * level reaches a child as a system property instead ({@link #LOG_LEVEL}): the framework properties are part
     * of the bundle set's hash, and a run at another level would prepare every framework cache again.
     */
    public static final Set<String> PARENT_ONLY = Set.of(Constants.FRAMEWORK_STORAGE,
            Constants.FRAMEWORK_STORAGE_CLEAN, "trampoline.storage", "trampoline.deploy.dirs", "trampoline.log.file",
            "trampoline.log.console", "gosh.args", "gosh.home", ChildProperties.ROLE, INHERITED_KEYS,
            "trampoline.pool.standby", ChildProperties.IN_CHILD, ChildProperties.STORE,
            ChildProperties.CONFIGURATIONS, "felix.log.level", "felix.log.logger",
            "org.osgi.service.log.admin.loglevel", ChildFrameworkProperties.LOG_LEVEL);
    /** Needed to resolve bundles as the parent does: passed on even where the launcher listed no keys. */
    private static final List<String> RESOLVING = List.of(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA,
            Constants.FRAMEWORK_BOOTDELEGATION, Constants.FRAMEWORK_SYSTEMCAPABILITIES_EXTRA,
            Constants.FRAMEWORK_BUNDLE_PARENT, Constants.FRAMEWORK_SYSTEMPACKAGES, "trampoline.remote.allow");

    private ChildFrameworkProperties() {
    }

    /** The child's properties, read from the parent's framework through {@code property}. */
    public static Map<String, String> of(UnaryOperator<String> property) {
        Set<String> keys = new LinkedHashSet<>(RESOLVING);
        String listed = property.apply(INHERITED_KEYS);
        if (listed != null) {
            for (String k : listed.split(",")) {
                if (!k.isBlank()) {
                    keys.add(k.strip());
                }
            }
        }
        Map<String, String> props = new LinkedHashMap<>();
        for (String key : keys) {
            String value = property.apply(key);
            if (value != null && !PARENT_ONLY.contains(key)) {
                props.put(key, key.startsWith(Constants.FRAMEWORK_SYSTEMPACKAGES) ? PackageList.canonical(value)
                        : value);
            }
        }
        // Kept as well, so that a child's own children get the same values.
        new LinkedHashMap<>(props).forEach((key, value) -> {
            String target = key.startsWith(CHILD_ONLY_PREFIX) ? key.substring(CHILD_ONLY_PREFIX.length()) : "";
            if (!target.isEmpty() && !PARENT_ONLY.contains(target)) {
                props.put(target, value);
            }
        });
        return props;
    }
}
