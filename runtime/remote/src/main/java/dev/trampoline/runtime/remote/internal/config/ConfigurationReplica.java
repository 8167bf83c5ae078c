package dev.trampoline.runtime.remote.internal.config;

import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.propertytypes.SatisfyingConditionTarget;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

import dev.trampoline.runtime.contract.internal.ChildProperties;

/**
 * In a child: holds the parent's configurations in the child's Configuration Admin. At activation it applies
 * those the parent wrote into the child's private folder (and deletes the file), then registers a service with
 * {@code trampoline.child.configurations=applied}, which the child's boot waits for before it starts the
 * plugins; later sets arrive over the channel. Each set is the parent's whole: what differs is updated, what
 * the parent deleted is deleted, and configurations the child made itself are left alone.
 */
@Component(service = ConfigurationReplica.class, immediate = true)
@SatisfyingConditionTarget(ChildProperties.CHILD_CONDITION_TARGET)
public final class ConfigurationReplica {

    @Reference
    private ConfigurationAdmin cm;

    @Reference(service = LoggerFactory.class)
    private Logger log;

    /** The parent's pid of each configuration held here, and its pid here (they differ for a generated one). */
    private final Map<String, String> held = new HashMap<>();
    /** The number of the last set applied (see {@link ConfigurationFeed}): an older one arriving later is passed. */
    private long applied = Long.MIN_VALUE;
    private ServiceRegistration<?> appliedMarker;

    @Activate
    void activate(BundleContext context) {
        try {
            String file = context.getProperty(ChildProperties.CONFIGURATIONS);
            Path path = file == null ? null : Path.of(file);
            if (path != null && Files.exists(path)) {
                byte[] encoded = Files.readAllBytes(path);
                Files.delete(path); // values may be secrets: kept no longer than needed, even in a private folder
                apply(encoded);
            }
        } catch (IOException | RuntimeException e) {
            log.error("The parent's configurations could not be applied in this child: {}", e.toString());
        } finally {
            Hashtable<String, Object> props = new Hashtable<>();
            props.put(ChildProperties.CONFIGURATIONS, ChildProperties.CONFIGURATIONS_APPLIED);
            appliedMarker = context.registerService(Object.class.getName(), new Object(), props);
        }
    }

    @Deactivate
    void deactivate() {
        try {
            appliedMarker.unregister();
        } catch (IllegalStateException gone) {
            // the framework is stopping
        }
    }

    /** The pid here of the parent's configuration {@code parentPid} (the same, unless the parent generated it). */
    public synchronized String localPid(String parentPid) {
        return held.getOrDefault(parentPid, parentPid);
    }

    /** Applies a set of the parent's configurations as {@link ConfigurationFeed} sends it, unless it is older. */
    public synchronized void apply(byte[] set) throws IOException {
        if (set.length < Long.BYTES) {
            throw new IOException("a configuration set of " + set.length + " bytes");
        }
        long number = java.nio.ByteBuffer.wrap(set).getLong();
        if (number <= applied) {
            return; // a newer set was applied already
        }
        apply(ConfigurationCodec.decode(java.util.Arrays.copyOfRange(set, Long.BYTES, set.length)));
        applied = number;
    }

    synchronized void apply(List<ConfigurationCopy> parents) {
        Set<String> present = new HashSet<>();
        for (ConfigurationCopy c : parents) {
            present.add(c.pid());
            try {
                Configuration here = holder(c);
                held.put(c.pid(), here.getPid());
                if (!Objects.equals(here.getBundleLocation(), c.location())) {
                    here.setBundleLocation(c.location());
                }
                Dictionary<String, Object> current = here.getProperties();
                if (current == null || !same(current, c.properties())) {
                    here.update(new Hashtable<>(c.properties()));
                }
            } catch (IOException | RuntimeException e) {
                log.error("Configuration {} could not be applied in this child: {}", c.pid(), e.toString());
            }
        }
        for (Iterator<Map.Entry<String, String>> it = held.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, String> e = it.next();
            if (!present.contains(e.getKey())) {
                it.remove();
                try {
                    Configuration here = existing(e.getValue());
                    if (here != null) {
                        here.delete();
                    }
                } catch (IOException | RuntimeException ex) {
                    log.error("Configuration {} could not be deleted in this child: {}", e.getValue(), ex.toString());
                }
            }
        }
    }

    /** The configuration here that holds the parent's {@code c}, made if there is none yet. */
    private Configuration holder(ConfigurationCopy c) throws IOException {
        if (c.factoryPid() == null) {
            return cm.getConfiguration(c.pid(), c.location());
        }
        if (c.factoryName() != null) {
            return cm.getFactoryConfiguration(c.factoryPid(), c.factoryName(), c.location());
        }
        String known = held.get(c.pid());
        Configuration here = known == null ? null : existing(known);
        return here != null ? here : cm.createFactoryConfiguration(c.factoryPid(), c.location());
    }

    private Configuration existing(String pid) throws IOException {
        try {
            Configuration[] found = cm.listConfigurations("(service.pid=" + pid.replaceAll("([\\\\()*])", "\\\\$1")
                    + ")");
            return found == null || found.length == 0 ? null : found[0];
        } catch (InvalidSyntaxException e) {
            throw new IOException(e);
        }
    }

    /** Whether {@code current} holds the same properties as {@code wanted}, less Configuration Admin's own. */
    static boolean same(Dictionary<String, Object> current, Map<String, Object> wanted) {
        int count = 0;
        for (String key : Collections.list(current.keys())) {
            if (ConfigurationSource.OWN_PROPERTIES.contains(key)) {
                continue;
            }
            count++;
            if (!wanted.containsKey(key) || !sameValue(current.get(key), wanted.get(key))) {
                return false;
            }
        }
        return count == wanted.size();
    }

    private static boolean sameValue(Object a, Object b) {
        if (a instanceof Collection<?> ca && b instanceof Collection<?> cb) {
            return new ArrayList<>(ca).equals(new ArrayList<>(cb));
        }
        if (a != null && b != null && a.getClass().isArray() && b.getClass().isArray()) {
            if (a.getClass() != b.getClass() || Array.getLength(a) != Array.getLength(b)) {
                return false;
            }
            for (int i = 0; i < Array.getLength(a); i++) {
                if (!Objects.equals(Array.get(a, i), Array.get(b, i))) {
                    return false;
                }
            }
            return true;
        }
        return Objects.equals(a, b);
    }
}
