package dev.trampoline.runtime.internal.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Locale;
import java.util.Properties;

import org.apache.felix.cm.file.ConfigurationHandler;

/**
 * Reads configuration files and names their configuration, the way Felix FileInstall does:
 * {@code pid.cfg} is the configuration {@code pid}; {@code factory-name.cfg} is the factory configuration
 * {@code name} of {@code factory}. {@code .cfg} files are Java properties (UTF-8); {@code .config} files use
 * the typed Felix Configuration Admin format.
 */
final class ConfigFiles {

    /** The property FileInstall and Karaf use to tie a configuration to its file; kept for their tools. */
    static final String FILENAME_PROPERTY = "felix.fileinstall.filename";

    /** Where a file's properties go: a plain PID, or a named configuration of a factory PID. */
    record Target(String pid, String factoryPid, String name) {
        boolean isFactory() {
            return factoryPid != null;
        }

        /** The PID Configuration Admin gives the configuration (R7 named factory configurations). */
        String effectivePid() {
            return isFactory() ? factoryPid + "~" + name : pid;
        }
    }

    private ConfigFiles() {
    }

    static Target targetOf(Path file) {
        String fileName = file.getFileName().toString();
        String base = fileName.substring(0, fileName.lastIndexOf('.'));
        int dash = base.indexOf('-');
        if (dash > 0 && dash < base.length() - 1) {
            return new Target(null, base.substring(0, dash), base.substring(dash + 1));
        }
        return new Target(base, null, null);
    }

    static Dictionary<String, Object> read(Path file) throws IOException {
        if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".config")) {
            try (InputStream in = Files.newInputStream(file)) {
                @SuppressWarnings("unchecked")
                Dictionary<String, Object> typed = ConfigurationHandler.read(in);
                return typed;
            }
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        Dictionary<String, Object> result = new Hashtable<>();
        for (String key : p.stringPropertyNames()) {
            result.put(key, p.getProperty(key).trim());
        }
        return result;
    }
}
