package dev.trampoline.runtime.contract.internal;

/**
 * The framework and system properties, and service properties, through which a child's boot (in the launcher)
 * and the runtime's bundles (in the parent and in the child) talk: each set on one side and read on the other.
 */
public final class ChildProperties {

    /** Framework property, {@code true} in every child's framework: the remote bundle serves calls there. */
    public static final String IN_CHILD = "trampoline.child";
    /** Framework property in a child: its parent's content store, which calls of the child's own use too. */
    public static final String STORE = "trampoline.child.store";
    /**
     * Framework property in a child: the file (see {@link StoreLayout#childConfigurations}) where the parent wrote
     * its configurations for the child's Configuration Admin. The runtime applies them, then registers a service
     * with this property set to {@value #CONFIGURATIONS_APPLIED}, which the boot waits for before it starts plugins.
     */
    public static final String CONFIGURATIONS = "trampoline.child.configurations";
    public static final String CONFIGURATIONS_APPLIED = "applied";
    /** System property set by the child's boot: the snapshot file it booted. */
    public static final String SNAPSHOT = "trampoline.child.snapshot";
    /** System property set by the child's boot: which stored copy each bundle came from ({@link InstalledRecord}). */
    public static final String INSTALLED = "trampoline.child.installed";
    /** System property set by the child's boot: how long its phases took, as text the parent shows. */
    public static final String PHASES = "trampoline.child.phases";
    /** System property per plugin bundle that did not start in a child ({@code prefix + bundle id}): its exception. */
    public static final String START_FAILURE_PREFIX = "trampoline.child.startFailure.";
    /**
     * Framework property: the keys of the properties a runtime's framework was started with (comma-separated),
     * set by the launcher; what a child inherits, less what is the parent's alone, is read through it.
     */
    public static final String INHERITED_KEYS = "trampoline.framework.keys";
    /**
     * Framework property: where a framework runs, {@value #ROLE_PARENT} (the runtime the user started) or
     * {@value #ROLE_CHILD}. Set by the launcher, which also registers it as a Condition service with
     * {@code osgi.condition.id=}{@value #CONDITION_PREFIX}{@code <role>}, for components that run in one place only.
     */
    public static final String ROLE = "trampoline.role";
    public static final String ROLE_PARENT = "parent";
    public static final String ROLE_CHILD = "child";
    public static final String CONDITION_PREFIX = "trampoline.";
    /** The target of a component that runs in children only ({@code @SatisfyingConditionTarget}). */
    public static final String CHILD_CONDITION_TARGET = "(osgi.condition.id=" + CONDITION_PREFIX + ROLE_CHILD + ")";
    /**
     * Service property of the child's channel streams, registered by the child's main for the remote bundle's
     * agent: {@value #CHANNEL_IN} on its {@code InputStream}, {@value #CHANNEL_OUT} on its {@code OutputStream}.
     */
    public static final String CHANNEL = "trampoline.channel";
    public static final String CHANNEL_IN = "in";
    public static final String CHANNEL_OUT = "out";

    /**
     * System property of a child JVM, set by a JVM option of its command when its parent sends heartbeats (a
     * child on another host, where the parent's pid means nothing and a network partition closes no channel): the
     * milliseconds without a byte from the parent after which the child stops and exits. Absent: no heartbeats
     * are watched, and the channel's end and the parent's pid tell the child that its parent is gone.
     */
    public static final String HEARTBEAT_TIMEOUT = "trampoline.child.heartbeatTimeoutMillis";

    private ChildProperties() {
    }
}
