package dev.trampoline.runtime.remote.internal.wire;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;

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
    /** Service properties that identify nothing across frameworks. */
    private static final List<String> NOT_IDENTIFYING = List.of(Constants.SERVICE_ID, Constants.SERVICE_BUNDLEID,
            Constants.SERVICE_SCOPE, Constants.OBJECTCLASS, "component.id", "service.changecount");

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

    /** The selector of the service {@code ref}, which must still be registered. */
    public static ServiceSelector of(ServiceReference<?> ref) {
        Bundle owner = ref.getBundle();
        if (owner == null) {
            throw new IllegalArgumentException("The service " + ref + " is no longer registered");
        }
        StringBuilder filter = new StringBuilder();
        for (String key : ref.getPropertyKeys()) {
            Object v = ref.getProperty(key);
            if (!NOT_IDENTIFYING.contains(key) && (v instanceof String || v instanceof Number || v instanceof Boolean)) {
                filter.append('(').append(key).append('=').append(Ldap.escape(v.toString())).append(')');
            }
        }
        List<String> classes = new ArrayList<>(List.of((String[]) ref.getProperty(Constants.OBJECTCLASS)));
        return new ServiceSelector(classes.toArray(String[]::new), owner.getSymbolicName(),
                owner.getVersion().toString(), filter.toString());
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
