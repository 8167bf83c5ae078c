package dev.trampoline.launcher.internal;

import java.util.Hashtable;
import java.util.Map;
import java.util.TreeSet;

import org.osgi.framework.BundleContext;
import org.osgi.service.condition.Condition;

import dev.trampoline.runtime.contract.internal.ChildProperties;

/**
 * Where a framework runs: the runtime the user started ({@value #PARENT}) or a child JVM ({@value #CHILD}).
 * Said twice, both the OSGi way: as the framework property {@value #PROPERTY}, and as a Condition service
 * ({@code osgi.condition.id=trampoline.parent} or {@code trampoline.child}) that a Declarative Services 1.5
 * component names in its {@code osgi.ds.satisfying.condition.target} to run in one place only.
 */
public final class RuntimeRole {

    public static final String PROPERTY = ChildProperties.ROLE;
    public static final String PARENT = ChildProperties.ROLE_PARENT;
    public static final String CHILD = ChildProperties.ROLE_CHILD;
    /**
     * The framework properties a runtime was started with (their keys, comma-separated): what a child inherits,
     * less what is the parent's alone (see the remote bundle's snapshot). The framework has no API that lists
     * its properties.
     */
    public static final String INHERITED_KEYS = ChildProperties.INHERITED_KEYS;

    private RuntimeRole() {
    }

    /** Sets the role and the list of inherited keys in a framework configuration about to be used. */
    public static void configure(Map<String, Object> config, String role) {
        config.put(PROPERTY, role);
        TreeSet<String> keys = new TreeSet<>();
        config.forEach((k, v) -> {
            if (v instanceof String) {
                keys.add(k);
            }
        });
        keys.remove(INHERITED_KEYS);
        config.put(INHERITED_KEYS, String.join(",", keys));
    }

    /** Registers the role's condition; call between the framework's {@code init()} and its bundles' start. */
    public static void registerCondition(BundleContext systemContext, String role) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Condition.CONDITION_ID, ChildProperties.CONDITION_PREFIX + role);
        systemContext.registerService(Condition.class, Condition.INSTANCE, props);
    }
}
