package dev.trampoline.runtime.internal.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.log.Logger;

import dev.trampoline.runtime.deploy.DeployedArtifact.Kind;

/**
 * Keeps Configuration Admin in step with the {@code .cfg}/{@code .config} files: a new or changed file
 * creates or updates its configuration, a deleted file deletes it. Each configuration carries the file's
 * URI, so on start the configurations of files deleted while the runtime was down are found and deleted.
 */
final class ConfigDeployer {

    private final DeployRegistry registry;
    private final Logger log;

    ConfigDeployer(DeployRegistry registry, Logger log) {
        this.registry = registry;
        this.log = log;
    }

    void apply(ConfigurationAdmin cm, FolderScanner.Ready ready) {
        TrackedFile t = registry.getOrCreate(ready.file(), Kind.CONFIGURATION);
        t.handledStamp = ready.stamp();
        ConfigFiles.Target target = ConfigFiles.targetOf(ready.file());
        t.configurationPid = target.effectivePid();
        if (cm == null) {
            fail(t, "Configuration Admin is not available; the file is applied when it is");
            return;
        }
        try {
            Dictionary<String, Object> props = ConfigFiles.read(ready.file());
            props.put(ConfigFiles.FILENAME_PROPERTY, ready.file().toUri().toString());
            Configuration c = target.isFactory()
                    ? cm.getFactoryConfiguration(target.factoryPid(), target.name(), "?")
                    : cm.getConfiguration(target.pid(), "?");
            Dictionary<String, Object> current = c.getProperties();
            if (!sameProperties(current, props)) {
                c.update(props);
                log.info("Configuration {} {} from {}", c.getPid(), current == null ? "created" : "updated",
                        ready.file());
            }
            t.configurationPid = c.getPid();
            t.error = null;
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            fail(t, "cannot apply the configuration: " + e.getMessage());
        }
    }

    void remove(ConfigurationAdmin cm, TrackedFile t) {
        registry.remove(t.file);
        if (cm == null || t.configurationPid == null) {
            return;
        }
        deleteConfigurationsOf(cm, t.file.toUri().toString());
    }

    /** Deletes configurations that came from files in {@code folders} that no longer exist. */
    void deleteOrphans(ConfigurationAdmin cm, List<Path> folders) {
        try {
            Configuration[] all = cm.listConfigurations("(" + ConfigFiles.FILENAME_PROPERTY + "=*)");
            for (Configuration c : all == null ? new Configuration[0] : all) {
                Object uri = c.getProperties() == null ? null : c.getProperties().get(ConfigFiles.FILENAME_PROPERTY);
                Path file = uri == null ? null : DeployRegistry.fileOf(uri.toString());
                if (file != null && folders.contains(file.getParent()) && !Files.exists(file)) {
                    log.info("Deleting configuration {}: {} was deleted", c.getPid(), file);
                    c.delete();
                }
            }
        } catch (IOException | InvalidSyntaxException | IllegalStateException e) {
            log.warn("Could not look for configurations of deleted files: {}", e.getMessage());
        }
    }

    private void deleteConfigurationsOf(ConfigurationAdmin cm, String uri) {
        try {
            Configuration[] matches = cm.listConfigurations(
                    "(" + ConfigFiles.FILENAME_PROPERTY + "=" + escape(uri) + ")");
            for (Configuration c : matches == null ? new Configuration[0] : matches) {
                log.info("Deleting configuration {}: {} was deleted", c.getPid(), uri);
                c.delete();
            }
        } catch (IOException | InvalidSyntaxException | IllegalStateException e) {
            log.error("Could not delete the configuration of {}: {}", uri, e.getMessage());
        }
    }

    private void fail(TrackedFile t, String message) {
        if (!message.equals(t.error)) {
            log.error("{}: {}", t.file, message);
        }
        t.error = message;
    }

    private static boolean sameProperties(Dictionary<String, Object> current, Dictionary<String, Object> wanted) {
        if (current == null) {
            return false;
        }
        return withoutFrameworkKeys(current).equals(withoutFrameworkKeys(wanted));
    }

    private static Map<String, Object> withoutFrameworkKeys(Dictionary<String, Object> d) {
        Map<String, Object> m = new HashMap<>();
        for (Enumeration<String> keys = d.keys(); keys.hasMoreElements();) {
            String k = keys.nextElement();
            if (!k.equals(Constants.SERVICE_PID) && !k.equals(ConfigurationAdmin.SERVICE_FACTORYPID)
                    && !k.equals(ConfigurationAdmin.SERVICE_BUNDLELOCATION)) {
                Object v = d.get(k);
                m.put(k, v != null && v.getClass().isArray() ? arrayAsList(v) : v);
            }
        }
        return m;
    }

    private static List<Object> arrayAsList(Object array) {
        int n = java.lang.reflect.Array.getLength(array);
        Object[] copy = new Object[n];
        for (int i = 0; i < n; i++) {
            copy[i] = java.lang.reflect.Array.get(array, i);
        }
        return Collections.unmodifiableList(java.util.Arrays.asList(copy));
    }

    private static String escape(String value) {
        StringBuilder sb = new StringBuilder();
        for (char ch : value.toCharArray()) {
            if (ch == '(' || ch == ')' || ch == '*' || ch == '\\') {
                sb.append('\\');
            }
            sb.append(ch);
        }
        return sb.toString();
    }
}
