package dev.trampoline.runtime.remote.internal.wire;

import java.io.Serializable;
import java.util.Arrays;

/**
 * How a child finds the service a call names: its object classes, the bundle that registered it (symbolic
 * name and version) and an LDAP filter on its identifying properties. Never the parent's {@code service.id}:
 * the child's framework numbers its services itself.
 * <p>
 * A plain class rather than a record: the JDK reads records through method handles, and spinning those took
 * about 30 ms of every child's first call.
 */
public final class ServiceSelector implements Serializable {

    private static final long serialVersionUID = 2L;

    private final String[] objectClass;
    private final String bundleSymbolicName;
    private final String bundleVersion;
    private final String filter;

    public ServiceSelector(String[] objectClass, String bundleSymbolicName, String bundleVersion, String filter) {
        this.objectClass = objectClass;
        this.bundleSymbolicName = bundleSymbolicName;
        this.bundleVersion = bundleVersion;
        this.filter = filter;
    }

    public String[] objectClass() {
        return objectClass;
    }

    public String bundleSymbolicName() {
        return bundleSymbolicName;
    }

    public String bundleVersion() {
        return bundleVersion;
    }

    public String filter() {
        return filter;
    }

    /**
     * Value identity for caching, as text (arrays compare by content here; a record key's generated equals and
     * hashCode would cost every child's first call some method-handle spinning).
     */
    public String key() {
        return ldap() + '\n' + bundleSymbolicName + '\n' + bundleVersion;
    }

    /** The LDAP filter the child tracks the service with. */
    public String ldap() {
        StringBuilder sb = new StringBuilder("(&");
        for (String c : objectClass) {
            sb.append("(objectClass=").append(Ldap.escape(c)).append(')');
        }
        if (filter != null && !filter.isBlank()) {
            sb.append(filter);
        }
        return sb.append(')').toString();
    }

    @Override
    public String toString() {
        return Arrays.toString(objectClass) + (filter == null ? "" : " " + filter)
                + (bundleSymbolicName == null ? "" : " from " + bundleSymbolicName + " " + bundleVersion);
    }
}
