package dev.trampoline.runtime.internal.shell;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;

import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import dev.trampoline.runtime.internal.deploy.ConfigFileWriteBack;
import dev.trampoline.runtime.internal.deploy.TypedValues;

/**
 * {@code config:list}, {@code config:get}, {@code config:set}, {@code config:unset} and {@code config:delete}
 * (Karaf's {@code config:list}, {@code config:property-get}, {@code -set}, {@code -delete} and {@code
 * config:delete}): Configuration Admin's configurations, changed in place. A configuration that came from a
 * deploy-folder file is changed in the file too ({@link ConfigFileWriteBack}), so that a restart keeps it.
 */
@Component(service = ConfigCommand.class, property = {
    "osgi.command.scope=config",
    "osgi.command.function=list",
    "osgi.command.function=get",
    "osgi.command.function=set",
    "osgi.command.function=unset",
    "osgi.command.function=delete"
})
public final class ConfigCommand {

    /**
     * One change at a time, file and Configuration Admin together, so that two sessions changing the same file
     * cannot interleave a read of the file with the other's write.
     */
    private static final Object CHANGES = new Object();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ConfigurationAdmin configAdmin;

    @Descriptor("lists every configuration: pid, factory pid, the deploy-folder file it came from (or none: kept"
            + " by Configuration Admin in the framework cache), its properties sorted by key"
            + "\n   example: config:list")
    public String list() throws IOException {
        return list(all(null));
    }

    @Descriptor("lists the configurations whose pid or factory pid matches a pattern (* matches anything;"
            + " without *, any pid containing the text), or a quoted LDAP filter on their properties"
            + "\n   examples: config:list com.example, config:list 'com.example.*',"
            + " config:list '(port=8080)' (quote a filter: the shell evaluates (a=b) itself)")
    public String list(@Descriptor("FILTER: a pid pattern, or an LDAP filter in quotes") String filter)
            throws IOException {
        String f = filter.trim();
        List<Shown> found = new ArrayList<>();
        if (f.startsWith("(")) {
            found = all(f);
        } else {
            for (Shown c : all(null)) {
                if (ConfigListing.matches(f, c.pid()) || ConfigListing.matches(f, c.factoryPid())) {
                    found.add(c);
                }
            }
        }
        if (found.isEmpty()) {
            return "No configuration matches " + f + " (config:list shows them all)";
        }
        return list(found);
    }

    @Descriptor("shows one configuration: pid, factory pid, its file (or none), its properties sorted by key"
            + "\n   example: config:get dev.trampoline.examples.greeter")
    public String get(@Descriptor("PID: the configuration's pid (factory~name for a named factory"
            + " configuration)") String pid) throws IOException {
        Configuration c = existing(pid);
        StringBuilder out = new StringBuilder();
        ConfigListing.describe(c.getPid(), c.getFactoryPid(), c.getProperties(), out);
        return out.toString();
    }

    @Descriptor("prints the value of one property of a configuration (an array or list as its elements"
            + " separated by commas)\n   example: config:get dev.trampoline.examples.greeter greeting")
    public String get(@Descriptor("PID: the configuration's pid") String pid,
            @Descriptor("KEY: the property") String key) throws IOException {
        Configuration c = existing(pid);
        Object value = c.getProperties().get(key);
        if (value == null) {
            throw noProperty(pid, key);
        }
        return ConfigListing.text(value);
    }

    @Descriptor("sets a property, creating the configuration if there is none (without a file: kept by"
            + " Configuration Admin in the framework cache). A configuration from a deploy-folder file is"
            + " changed in the file too, comments and order kept, so a restart keeps it. A value keeps the type"
            + " the property has (Integer, Boolean, arrays: elements separated by commas); a new one is a String"
            + "\n   examples: config:set dev.trampoline.examples.greeter greeting Bonjour,"
            + " config:set com.example.app url 'http://localhost:8080/a b'")
    public String set(@Descriptor("PID: the configuration's pid (factory~name for a named factory"
            + " configuration)") String pid,
            @Descriptor("KEY: the property") String key,
            @Descriptor("VALUE: its new value (quote it if it has spaces)") String value) throws IOException {
        if (value == null) {
            throw new IllegalArgumentException("No value given for " + key + ": config:set PID KEY VALUE (quote"
                    + " the word null to set it as text: 'null')");
        }
        checkChangeable(key);
        ConfigurationAdmin cm = cm();
        synchronized (CHANGES) {
            Configuration c = find(cm, pid).orElse(null);
            if (c == null) {
                Configuration created = create(cm, pid);
                Hashtable<String, Object> props = new Hashtable<>();
                props.put(key, value);
                created.update(props);
                return "Created configuration " + created.getPid() + ": " + key + " = " + value + "\nFile: "
                        + ConfigListing.NO_FILE;
            }
            Dictionary<String, Object> current = c.getProperties();
            Optional<ConfigFileWriteBack> file = ConfigFileWriteBack.of(current);
            Dictionary<String, Object> props;
            if (file.isPresent()) {
                // Configuration Admin first, the file after: the deployer's re-read of the file finds no change.
                try (ConfigFileWriteBack.Change change = file.get().set(key, value)) {
                    props = change.properties();
                    c.updateIfDifferent(props);
                    commitOrUndo(change, c, current);
                }
            } else {
                props = current;
                props.put(key, TypedValues.parse(key, value, current.get(key)));
                c.update(props);
            }
            return c.getPid() + ": " + key + " = " + ConfigListing.text(props.get(key)) + "\nFile: "
                    + ConfigListing.where(props);
        }
    }

    @Descriptor("removes a property from a configuration (and from its deploy-folder file, if it came from one)"
            + "\n   example: config:unset com.example.app url")
    public String unset(@Descriptor("PID: the configuration's pid") String pid,
            @Descriptor("KEY: the property") String key) throws IOException {
        checkChangeable(key);
        synchronized (CHANGES) {
            Configuration c = existing(pid);
            Dictionary<String, Object> current = c.getProperties();
            if (current.get(key) == null) {
                throw noProperty(pid, key);
            }
            Optional<ConfigFileWriteBack> file = ConfigFileWriteBack.of(current);
            if (file.isPresent()) {
                try (ConfigFileWriteBack.Change change = file.get().unset(key)) {
                    c.updateIfDifferent(change.properties());
                    commitOrUndo(change, c, current);
                }
            } else {
                current.remove(key);
                c.update(current);
            }
            return c.getPid() + ": " + key + " removed\nFile: " + ConfigListing.where(current);
        }
    }

    @Descriptor("deletes a configuration; one that came from a deploy-folder file is deleted with its file, so"
            + " that nothing re-creates it\n   example: config:delete com.example.app")
    public String delete(@Descriptor("PID: the configuration's pid") String pid) throws IOException {
        synchronized (CHANGES) {
            Configuration c = existing(pid);
            String deleted = c.getPid();
            Optional<ConfigFileWriteBack> file = ConfigFileWriteBack.of(c.getProperties());
            if (file.isPresent()) {
                file.get().checkDeletable();
            }
            // Configuration Admin first, the file after: the deployer, seeing the file go, finds nothing to delete.
            c.delete();
            if (file.isPresent()) {
                try {
                    file.get().delete();
                } catch (IOException e) {
                    throw new IOException("Deleted configuration " + deleted + " but not its file: " + e.getMessage()
                            + "; delete the file, or the next start re-creates the configuration from it", e);
                }
            }
            return "Deleted configuration " + deleted
                    + file.map(f -> " and its file " + f.file()).orElse(" (it had no file)");
        }
    }

    /** Puts the file in place; if that fails, gives Configuration Admin back what it had, so nothing changed. */
    private static void commitOrUndo(ConfigFileWriteBack.Change change, Configuration c,
            Dictionary<String, Object> before) throws IOException {
        try {
            change.commit();
        } catch (IOException e) {
            c.update(before);
            throw e;
        }
    }

    private ConfigurationAdmin cm() {
        ConfigurationAdmin cm = configAdmin;
        if (cm == null) {
            throw new IllegalStateException("Configuration Admin is not running (lb shows whether its bundle,"
                    + " org.apache.felix.configadmin, is active)");
        }
        return cm;
    }

    /** A configuration as it was when listed (one deleted meanwhile throws on every call). */
    private record Shown(String pid, String factoryPid, Dictionary<String, Object> properties) {
    }

    private List<Shown> all(String filter) throws IOException {
        Configuration[] found;
        try {
            found = cm().listConfigurations(filter);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("Not a valid LDAP filter: " + filter + " (" + e.getMessage()
                    + "); e.g. '(service.pid=com.example.*)', quoted");
        }
        List<Shown> list = new ArrayList<>();
        for (Configuration c : found == null ? new Configuration[0] : found) {
            try {
                list.add(new Shown(c.getPid(), c.getFactoryPid(), c.getProperties()));
            } catch (IllegalStateException deletedMeanwhile) {
                // deleted between the listing and now (the deployer saw its file go): as if not listed
            }
        }
        list.sort(Comparator.comparing(Shown::pid));
        return list;
    }

    private static String list(List<Shown> configurations) {
        if (configurations.isEmpty()) {
            return "No configurations.";
        }
        StringBuilder out = new StringBuilder();
        for (Shown c : configurations) {
            out.append("----------------------------------------------------\n");
            ConfigListing.describe(c.pid(), c.factoryPid(), c.properties(), out);
        }
        return out.toString();
    }

    private Optional<Configuration> find(ConfigurationAdmin cm, String pid) throws IOException {
        try {
            Configuration[] found = cm.listConfigurations("(" + Constants.SERVICE_PID + "=" + escape(pid) + ")");
            return found == null ? Optional.empty() : Optional.of(found[0]);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e); // the pid is escaped: cannot happen
        }
    }

    private Configuration existing(String pid) throws IOException {
        return find(cm(), pid).orElseThrow(() -> new IllegalArgumentException("No configuration " + pid
                + " (config:list shows them; config:set " + pid + " KEY VALUE creates it)"));
    }

    /** A new configuration, bound to no bundle ("?": any bundle may use it), as the deployer makes them. */
    private static Configuration create(ConfigurationAdmin cm, String pid) throws IOException {
        int tilde = pid.indexOf('~');
        if (tilde > 0 && tilde < pid.length() - 1) {
            return cm.getFactoryConfiguration(pid.substring(0, tilde), pid.substring(tilde + 1), "?");
        }
        return cm.getConfiguration(pid, "?");
    }

    private static void checkChangeable(String key) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("No key given: config:set PID KEY VALUE");
        }
        if (ConfigListing.HEADER_KEYS.contains(key)) {
            throw new IllegalArgumentException(key + " is set by Configuration Admin or the deployer, not by"
                    + " hand; config:set and config:unset change the other properties");
        }
    }

    private static IllegalArgumentException noProperty(String pid, String key) {
        return new IllegalArgumentException("Configuration " + pid + " has no property " + key + " (config:get "
                + pid + " lists its properties)");
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
