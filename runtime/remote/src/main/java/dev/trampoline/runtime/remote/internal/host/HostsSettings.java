package dev.trampoline.runtime.remote.internal.host;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

import dev.trampoline.runtime.contract.internal.ChildProperties;

/**
 * The hosts children may run on now (see {@link HostsConfiguration}): the {@value HostsConfiguration#PID}
 * configuration's while it exists, else the framework properties'. A bad configuration is reported, naming its
 * key, and the hosts stay as they were. A child has none (it receives its parent's configurations, this one too,
 * but its own calls run in children of its own, on its host). Internal: the remote executor follows it.
 */
@Component(service = HostsSettings.class, configurationPid = HostsConfiguration.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class HostsSettings {

    @Reference(service = LoggerFactory.class)
    private Logger log;

    private BundleContext context;
    private volatile List<RemoteHost> hosts = List.of();
    private volatile HostPlacement placement = HostPlacement.LOCAL_FIRST;
    private final List<Consumer<List<RemoteHost>>> listeners = new CopyOnWriteArrayList<>();

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) {
        this.context = context;
        read(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        if (read(properties)) {
            listeners.forEach(l -> l.accept(hosts));
        }
    }

    /** The hosts now. */
    public List<RemoteHost> hosts() {
        return hosts;
    }

    /** Where calls that name no host run now. */
    public HostPlacement placement() {
        return placement;
    }

    /** Tells {@code listener} of every change of the hosts from now on. */
    public void onChange(Consumer<List<RemoteHost>> listener) {
        listeners.add(listener);
    }

    public void removeOnChange(Consumer<List<RemoteHost>> listener) {
        listeners.remove(listener);
    }

    private boolean read(Map<String, Object> properties) {
        if (Boolean.parseBoolean(context.getProperty(ChildProperties.IN_CHILD))) {
            return false; // a child gets its parent's configurations, these too: its own calls run on its host
        }
        try {
            boolean configured = properties.get(Constants.SERVICE_PID) != null;
            List<RemoteHost> read = configured ? HostsConfiguration.fromConfiguration(properties)
                    : HostsConfiguration.fromFramework(context::getProperty);
            HostPlacement readPlacement = configured ? HostsConfiguration.placementOf(properties)
                    : HostsConfiguration.placementFromFramework(context::getProperty);
            placement = readPlacement; // before the hosts: a call that sees them sees how to place it
            hosts = read;
            if (!read.isEmpty()) {
                log.info("Hosts for children ({} placement of calls that name none): {}", readPlacement, read);
            }
            return true;
        } catch (IllegalArgumentException e) {
            log.error("Hosts not changed: {}", e.getMessage());
            return false;
        }
    }
}
