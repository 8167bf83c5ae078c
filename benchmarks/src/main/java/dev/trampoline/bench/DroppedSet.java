package dev.trampoline.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;

/**
 * Jars and configuration files dropped at once into a running launcher's deploy folder, and the launcher's log
 * lines that say each was applied: {@code Started BSN VERSION (bundle N)} for a jar, or an error line naming its
 * file (it did not start), and {@code Configuration PID created} for a {@code PID.cfg}.
 */
final class DroppedSet {

    private final List<Path> jars;
    private final List<Path> configs;
    /** Bundle-SymbolicName → jar file name, read before the drop so that it costs the measurement nothing. */
    private final Map<String, String> fileOfBundle = new HashMap<>();

    DroppedSet(List<Path> jars, List<Path> configs) throws IOException {
        this.jars = jars;
        this.configs = configs;
        for (Path jar : jars) {
            try (JarFile file = new JarFile(jar.toFile())) {
                String name = file.getManifest().getMainAttributes().getValue("Bundle-SymbolicName");
                if (name == null) {
                    throw new IllegalArgumentException(jar + " is not a bundle (no Bundle-SymbolicName)");
                }
                fileOfBundle.put(name.split(";")[0].strip(), jar.getFileName().toString());
            }
        }
    }

    /** Copies the configuration files, then the jars, into {@code deploy}, as {@code cp} would. */
    void copyInto(Path deploy) throws IOException {
        for (Path config : configs) {
            Files.copy(config, deploy.resolve(config.getFileName()));
        }
        for (Path jar : jars) {
            Files.copy(jar, deploy.resolve(jar.getFileName()));
        }
    }

    /**
     * Reads {@code launcher}'s output until every jar has started or failed and every configuration was
     * created; returns the symbolic names of the bundles whose failure no start followed. A failure is not
     * always the last word: a bundle that cannot resolve before the rest of the drop is installed (the copy
     * spanned two scans) is started again with the next batch, and a file rejected as incomplete is retried
     * when it changes (that error is not counted as the jar's outcome at all).
     */
    Set<String> awaitApplied(LauncherProcess launcher) throws IOException {
        Map<String, String> waitingBundles = new HashMap<>(fileOfBundle);
        Set<String> waitingConfigs = new HashSet<>();
        for (Path config : configs) {
            String name = config.getFileName().toString();
            waitingConfigs.add(name.substring(0, name.lastIndexOf('.')));
        }
        Set<String> failed = new TreeSet<>();
        while (!waitingBundles.isEmpty() || !waitingConfigs.isEmpty()) {
            String line = launcher.nextLine();
            int started = line.indexOf("] Started ");
            if (started >= 0) {
                String rest = line.substring(started + "] Started ".length());
                String name = rest.substring(0, Math.max(0, rest.indexOf(' ')));
                waitingBundles.remove(name);
                failed.remove(name);
            } else if (line.contains(" ERROR ") && !line.contains("it is retried when the file changes")) {
                waitingBundles.entrySet().removeIf(e -> {
                    boolean named = line.contains("/" + e.getValue() + ":");
                    if (named) {
                        failed.add(e.getKey());
                    }
                    return named;
                });
            } else {
                waitingConfigs.removeIf(pid -> line.contains("Configuration " + pid + " created"));
            }
        }
        return failed;
    }
}
