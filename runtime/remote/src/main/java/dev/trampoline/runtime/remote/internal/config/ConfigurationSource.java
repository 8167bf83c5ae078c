package dev.trampoline.runtime.remote.internal.config;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * This runtime's configurations, as its children get them: every configuration its Configuration Admin holds,
 * however it got there (a deploy-folder file, the shell, code). Tells its listeners when any changes.
 */
@Component(service = {ConfigurationSource.class, ConfigurationListener.class})
public final class ConfigurationSource implements ConfigurationListener, ConfigurationFeed.Source {

    /** Properties Configuration Admin sets itself; a child's sets them again. */
    static final Set<String> OWN_PROPERTIES = Set.of(Constants.SERVICE_PID, ConfigurationAdmin.SERVICE_FACTORYPID,
            ConfigurationAdmin.SERVICE_BUNDLELOCATION);

    @Reference
    private ConfigurationAdmin cm;

    @Reference(service = LoggerFactory.class)
    private Logger log;

    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    /** Property types no child can take, reported once each (pid and key). */
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    /** Runs {@code listener} (on Configuration Admin's event thread) after every change of a configuration. */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    public void removeOnChange(Runnable listener) {
        listeners.remove(listener);
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        listeners.forEach(Runnable::run);
    }

    @Override
    public byte[] encoded() throws IOException {
        Configuration[] all;
        try {
            all = cm.listConfigurations(null);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("no filter, no syntax", e);
        }
        List<ConfigurationCopy> copies = new ArrayList<>();
        for (Configuration c : all == null ? new Configuration[0] : all) {
            try {
                Dictionary<String, Object> props = c.getProperties();
                if (props == null) {
                    continue; // created, never updated: no child component sees it either
                }
                Map<String, Object> kept = new LinkedHashMap<>();
                for (String key : Collections.list(props.keys())) {
                    if (!OWN_PROPERTIES.contains(key)) {
                        kept.put(key, props.get(key));
                    }
                }
                copies.add(new ConfigurationCopy(c.getPid(), c.getFactoryPid(), c.getBundleLocation(), kept));
            } catch (IllegalStateException deleted) {
                // deleted while listed: the event that says so follows
            }
        }
        return ConfigurationCodec.encode(copies, (pid, key) -> {
            if (reported.add(pid + "\n" + key)) {
                log.warn("Configuration {}: property {} has a type Configuration Admin does not define; children"
                        + " get the configuration without it", pid, key);
            }
        });
    }
}
