package dev.trampoline.runtime.remote.internal.wire;

import java.io.Serializable;
import java.util.Arrays;

/**
 * How a child finds the service a call names: its object classes, the bundle that registered it (symbolic
 * name and version) and an LDAP filter on its identifying properties. Never the parent's {@code service.id}:
 * the child's framework numbers its services itself.
 */
public record ServiceSelector(String[] objectClass, String bundleSymbolicName, String bundleVersion,
        String filter) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Value identity for caching: arrays compare by content here, unlike in the record's own equals. */
    public record Key(String ldap, String bundleSymbolicName, String bundleVersion) {
    }

    public Key key() {
        return new Key(ldap(), bundleSymbolicName, bundleVersion);
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
