package dev.trampoline.launcher.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;

/**
 * What the system bundle exports besides the JDK: the packages the host names, and the runtime's own API
 * (remote execution and promises, the deploy API) wherever the host has it on its class path, so that an
 * embedding application calls {@code RemoteExecutor} or {@code DeployService} with its own classes and no
 * set-up. The runtime's bundles import the API packages they export, so they wire to the system bundle's
 * copy too.
 * <p>
 * Which packages: those exported by the runtime's own bundles carried in the launcher (symbolic name
 * {@value #RUNTIME_PREFIX}…), with the packages their {@code uses:} names that another carried bundle exports
 * ({@code org.osgi.util.promise}, and {@code org.osgi.util.function} that it uses). Each at the version the
 * host's copy exports in its manifest, else the carried bundle's. A package the host names itself is left as
 * the host gave it.
 */
public final class SystemPackages {

    static final String RUNTIME_PREFIX = "dev.trampoline.runtime.";

    private SystemPackages() {
    }

    /**
     * The value of {@code org.osgi.framework.system.packages.extra}: {@code given} (clauses in
     * {@code Export-Package} syntax) followed by the runtime's API packages that {@code host} can load and
     * {@code given} does not name; null when there is nothing to export.
     */
    public static String extra(List<String> given, ClassLoader host, LauncherLog log) throws IOException {
        Set<String> named = new LinkedHashSet<>();
        List<String> clauses = new ArrayList<>();
        for (String g : given) {
            for (String clause : split(g, ',')) {
                if (!clause.isBlank()) {
                    clauses.add(clause.strip());
                    named.addAll(packages(clause));
                }
            }
        }
        List<String> automatic = new ArrayList<>();
        for (Map.Entry<String, String> api : runtimeApi().entrySet()) {
            String pkg = api.getKey();
            if (named.contains(pkg)) {
                continue;
            }
            String version = hostVersion(host, pkg, api.getValue());
            if (version != null) {
                automatic.add(pkg + ";version=\"" + version + "\"");
            }
        }
        if (!automatic.isEmpty() && log.enabled("DEBUG")) {
            log.fileOnly("DEBUG", "The host's copy of the runtime API is shared: " + String.join(",", automatic));
        }
        clauses.addAll(automatic);
        return clauses.isEmpty() ? null : String.join(",", clauses);
    }

    /** The runtime's API packages with the versions the launcher's bundles export them at, in list order. */
    static Map<String, String> runtimeApi() throws IOException {
        Map<String, String> versions = new LinkedHashMap<>();
        Map<String, List<String>> uses = new LinkedHashMap<>();
        Deque<String> api = new ArrayDeque<>();
        for (String file : RuntimeBundles.files()) {
            Attributes main = manifest(RuntimeBundles.BASE + "bundles/" + file);
            String bsn = main.getValue("Bundle-SymbolicName");
            String exports = main.getValue("Export-Package");
            if (exports == null) {
                continue;
            }
            for (String clause : split(exports, ',')) {
                Map<String, String> params = parameters(clause);
                String version = params.getOrDefault("version", "0.0.0");
                List<String> used = split(params.getOrDefault("uses:", ""), ',').stream().map(String::strip)
                        .filter(s -> !s.isEmpty()).toList();
                for (String pkg : packages(clause)) {
                    versions.putIfAbsent(pkg, version);
                    uses.putIfAbsent(pkg, used);
                    if (bsn != null && bsn.startsWith(RUNTIME_PREFIX)) {
                        api.add(pkg);
                    }
                }
            }
        }
        Map<String, String> result = new LinkedHashMap<>();
        while (!api.isEmpty()) {
            String pkg = api.poll();
            if (versions.containsKey(pkg) && result.putIfAbsent(pkg, versions.get(pkg)) == null) {
                api.addAll(uses.get(pkg));
            }
        }
        return result;
    }

    /**
     * The version the host's copy of {@code pkg} has: the one its jar's (or class folder's) manifest exports,
     * else {@code fallback}; null when the host cannot load the package. A package is found by its
     * {@code package-info.class}, which every versioned OSGi API package has.
     */
    static String hostVersion(ClassLoader host, String pkg, String fallback) {
        String suffix = pkg.replace('.', '/') + "/package-info.class";
        URL info = host.getResource(suffix);
        if (info == null) {
            return null;
        }
        String url = info.toString();
        try {
            URLConnection c = new URL(url.substring(0, url.length() - suffix.length()) + "META-INF/MANIFEST.MF")
                    .openConnection();
            c.setUseCaches(false); // a jar: URL then closes its jar with the stream
            try (InputStream in = c.getInputStream()) {
                String exports = new Manifest(in).getMainAttributes().getValue("Export-Package");
                for (String clause : split(exports == null ? "" : exports, ',')) {
                    if (packages(clause).contains(pkg)) {
                        return parameters(clause).getOrDefault("version", fallback);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // no manifest (a class folder, a merged jar): the launcher's version is the best guess
        }
        return fallback;
    }

    private static Attributes manifest(String resource) throws IOException {
        try (InputStream in = RuntimeBundles.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("The launcher jar is incomplete: " + resource + " is missing");
            }
            try (JarInputStream jar = new JarInputStream(in)) {
                Manifest m = jar.getManifest();
                return m == null ? new Attributes() : m.getMainAttributes();
            }
        }
    }

    /** The package names of one clause ({@code a;b;version=1} names a and b). */
    static List<String> packages(String clause) {
        List<String> names = new ArrayList<>();
        for (String part : split(clause, ';')) {
            String p = part.strip();
            if (!p.isEmpty() && p.indexOf('=') < 0) {
                names.add(p);
            }
        }
        return names;
    }

    /** The attributes ({@code version}) and directives ({@code uses:}) of one clause, quotes removed. */
    static Map<String, String> parameters(String clause) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String part : split(clause, ';')) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                String value = part.substring(eq + 1).strip();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                params.put(part.substring(0, eq).strip(), value);
            }
        }
        return params;
    }

    /** Splits an OSGi header on {@code separator} outside quoted strings. */
    static List<String> split(String header, char separator) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < header.length(); i++) {
            char ch = header.charAt(i);
            if (ch == '"') {
                quoted = !quoted;
            }
            if (ch == separator && !quoted) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(ch);
            }
        }
        if (current.length() > 0) {
            parts.add(current.toString());
        }
        return parts;
    }
}
