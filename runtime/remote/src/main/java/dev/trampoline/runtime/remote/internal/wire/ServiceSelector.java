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
 * name and version) and what identifies it, by its persistent identity where it has one: a Declarative
 * Services component's {@code component.name} (with the {@code service.pid} of its factory configuration, for
 * one of several instances), else a {@code service.pid}, else an LDAP filter on its properties. Never the
 * parent's {@code service.id} (the child's framework numbers its services itself), nor properties that come
 * from configuration or activation when a persistent identity exists: those may differ for a moment while a
 * changed configuration travels to the child.
 * <p>
 * A plain class rather than a record: the JDK reads records through method handles, and spinning those took
 * about 30 ms of every child's first call.
 */
public final class ServiceSelector implements Serializable {

    private static final long serialVersionUID = 3L;
    private static final String COMPONENT_NAME = "component.name";
    private static final String FACTORY_PID = "service.factoryPid";
    /** Service properties that identify nothing across frameworks. */
    private static final List<String> NOT_IDENTIFYING = List.of(Constants.SERVICE_ID, Constants.SERVICE_BUNDLEID,
            Constants.SERVICE_SCOPE, Constants.OBJECTCLASS, "component.id", "service.changecount");

    private final String[] objectClass;
    private final String bundleSymbolicName;
    private final String bundleVersion;
    private final String filter;
    /** The parent's {@code service.pid} of the service's factory configuration, or null. */
    private final String servicePid;

    public ServiceSelector(String[] objectClass, String bundleSymbolicName, String bundleVersion, String filter) {
        this(objectClass, bundleSymbolicName, bundleVersion, filter, null);
    }

    public ServiceSelector(String[] objectClass, String bundleSymbolicName, String bundleVersion, String filter,
            String servicePid) {
        this.objectClass = objectClass;
        this.bundleSymbolicName = bundleSymbolicName;
        this.bundleVersion = bundleVersion;
        this.filter = filter;
        this.servicePid = servicePid;
    }

    /** The selector of the service {@code ref}, which must still be registered. */
    public static ServiceSelector of(ServiceReference<?> ref) {
        Bundle owner = ref.getBundle();
        if (owner == null) {
            throw new IllegalArgumentException("The service " + ref + " is no longer registered");
        }
        StringBuilder filter = new StringBuilder();
        String servicePid = null;
        Object component = ref.getProperty(COMPONENT_NAME);
        Object pid = ref.getProperty(Constants.SERVICE_PID);
        if (component instanceof String name) {
            filter.append('(').append(COMPONENT_NAME).append('=').append(Ldap.escape(name)).append(')');
            if (ref.getProperty(FACTORY_PID) != null && pid instanceof String p) {
                servicePid = p; // one of the component's instances, one per factory configuration
            }
        } else if (pid instanceof String p) {
            servicePid = p;
        } else {
            for (String key : ref.getPropertyKeys()) {
                Object v = ref.getProperty(key);
                if (!NOT_IDENTIFYING.contains(key)
                        && (v instanceof String || v instanceof Number || v instanceof Boolean)) {
                    filter.append('(').append(key).append('=').append(Ldap.escape(v.toString())).append(')');
                }
            }
        }
        List<String> classes = new ArrayList<>(List.of((String[]) ref.getProperty(Constants.OBJECTCLASS)));
        return new ServiceSelector(classes.toArray(String[]::new), owner.getSymbolicName(),
                owner.getVersion().toString(), filter.toString(), servicePid);
    }

    /**
     * The same selector with the {@code service.pid} it names translated by {@code localPid}: a factory
     * configuration whose pid the parent's Configuration Admin generated has another pid in a child.
     */
    public ServiceSelector withLocalPid(java.util.function.UnaryOperator<String> localPid) {
        if (servicePid == null) {
            return this;
        }
        String local = localPid.apply(servicePid);
        return local.equals(servicePid) ? this : new ServiceSelector(objectClass, bundleSymbolicName, bundleVersion,
                filter, local);
    }

    public String servicePid() {
        return servicePid;
    }

    /** The name of the Declarative Services component that provides the service, or null. */
    public String componentName() {
        String prefix = "(" + COMPONENT_NAME + "=";
        if (filter == null || !filter.startsWith(prefix)) {
            return null;
        }
        StringBuilder name = new StringBuilder();
        for (int i = prefix.length(); i < filter.length() && filter.charAt(i) != ')'; i++) {
            char ch = filter.charAt(i);
            name.append(ch == '\\' && i + 1 < filter.length() ? filter.charAt(++i) : ch);
        }
        return name.toString();
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
        if (servicePid != null) {
            sb.append("(" + Constants.SERVICE_PID + "=").append(Ldap.escape(servicePid)).append(')');
        }
        return sb.append(')').toString();
    }

    @Override
    public String toString() {
        return Arrays.toString(objectClass) + (filter == null || filter.isEmpty() ? "" : " " + filter)
                + (servicePid == null ? "" : " (service.pid=" + servicePid + ")")
                + (bundleSymbolicName == null ? "" : " from " + bundleSymbolicName + " " + bundleVersion);
    }
}
