package dev.trampoline.runtime.remote.internal.child;

import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;

/**
 * Exists while the {@value PoolSettings#PID} configuration does (for example the file
 * {@code dev.trampoline.remote.pool.cfg} in a deploy folder) and hands its settings to the pool.
 */
@Component(configurationPid = PoolSettings.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {},
        immediate = true)
public final class PoolConfiguration {

    @Reference
    private RemoteExecutorImpl executor;

    @Activate
    @Modified
    void apply(Map<String, Object> properties) {
        try {
            executor.configure(properties);
        } catch (IllegalArgumentException e) {
            // A bad value must not take the pool down: say which, keep the settings it had.
            executor.configurationRejected(e.getMessage());
        }
    }

    @Deactivate
    void removed() {
        executor.configure(null);
    }
}
