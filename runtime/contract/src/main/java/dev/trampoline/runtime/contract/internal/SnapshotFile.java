package dev.trampoline.runtime.contract.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A snapshot file: the bundle set a child runs, written by the parent's remote bundle and read by the child's boot
 * (and by a standby child moving to another set, and by the store's collector). A properties file: {@code hash},
 * {@code store} (the content store its jars are in, see {@link StoreLayout#jar}), {@code framework.<key>} per
 * framework property, {@code bundle.count}, and {@code bundle.<N>.<field>} per bundle in install order.
 *
 * @param hash                the snapshot's hash (which names its file and its prepared cache)
 * @param store               the content store holding its bundles' copies
 * @param frameworkProperties the framework properties a child starts with
 * @param bundles             its bundles, in install order
 */
public record SnapshotFile(String hash, Path store, Map<String, String> frameworkProperties, List<Entry> bundles) {

    /** Where the launcher installs the runtime's own bundles from: what tells them from plugins on both sides. */
    public static final String RUNTIME_LOCATION_PREFIX = "trampoline:runtime/";

    private static final String HASH = "hash";
    private static final String STORE = "store";
    private static final String FRAMEWORK = "framework.";
    private static final String COUNT = "bundle.count";
    private static final String BUNDLE = "bundle.";
    /** The fields of a bundle: {@code bundle.<N>.<field>}. */
    private static final String LOCATION = "location";
    private static final String SYMBOLIC_NAME = "symbolicName";
    private static final String VERSION = "version";
    private static final String SHA256 = "sha256";
    private static final String START_LEVEL = "startLevel";
    private static final String START = "start";
    private static final String LAZY = "lazy";
    private static final String START_ORDER = "startOrder";
    private static final String CHILD_ROLE = "child";
    private static final String RESOLVE = "resolve";
    private static final String FRAGMENT = "fragment";

    /**
     * One bundle of the set.
     *
     * @param location     where the parent installed it from (the child installs it under the same location)
     * @param symbolicName its symbolic name ("" if it has none)
     * @param version      its version
     * @param sha256       its content's hash: the copy in the store
     * @param startLevel   its start level
     * @param start        whether the child starts it
     * @param lazy         whether it starts lazily (its activation policy)
     * @param startOrder   its place in the order the child starts bundles (by when the parent started them)
     * @param childRole    what a child does with it and why, for the child's messages (may be null)
     * @param resolve      whether the child resolves it though it does not start it (held back by the policy)
     * @param fragment     whether it is a fragment
     */
    public record Entry(String location, String symbolicName, String version, String sha256, int startLevel,
            boolean start, boolean lazy, int startOrder, String childRole, boolean resolve, boolean fragment) {

        /** Whether it is one of the runtime's own bundles (installed from the launcher) rather than a plugin. */
        public boolean runtime() {
            return location.startsWith(RUNTIME_LOCATION_PREFIX);
        }
    }

    public SnapshotFile {
        frameworkProperties = Map.copyOf(frameworkProperties);
        bundles = List.copyOf(bundles);
    }

    /** Whether any of its bundles is a fragment. */
    public boolean hasFragments() {
        for (Entry e : bundles) {
            if (e.fragment()) {
                return true;
            }
        }
        return false;
    }

    /** The stored copy of {@code e}'s content. */
    public Path jar(Entry e) {
        return StoreLayout.jar(store, e.sha256());
    }

    /**
     * Writes it to {@code file} through a temporary file in the same folder and an atomic rename: a child never
     * reads half a snapshot.
     */
    public void write(Path file) throws IOException {
        Properties p = new Properties();
        p.setProperty(HASH, hash);
        p.setProperty(STORE, store.toString());
        for (Map.Entry<String, String> property : frameworkProperties.entrySet()) {
            p.setProperty(FRAMEWORK + property.getKey(), property.getValue());
        }
        p.setProperty(COUNT, Integer.toString(bundles.size()));
        for (int i = 0; i < bundles.size(); i++) {
            Entry b = bundles.get(i);
            p.setProperty(key(i, LOCATION), b.location());
            p.setProperty(key(i, SYMBOLIC_NAME), b.symbolicName() == null ? "" : b.symbolicName());
            p.setProperty(key(i, VERSION), b.version());
            p.setProperty(key(i, SHA256), b.sha256());
            p.setProperty(key(i, START_LEVEL), Integer.toString(b.startLevel()));
            p.setProperty(key(i, START), Boolean.toString(b.start()));
            p.setProperty(key(i, LAZY), Boolean.toString(b.lazy()));
            p.setProperty(key(i, START_ORDER), Integer.toString(b.startOrder()));
            if (b.childRole() != null) {
                p.setProperty(key(i, CHILD_ROLE), b.childRole());
            }
            p.setProperty(key(i, RESOLVE), Boolean.toString(b.resolve()));
            p.setProperty(key(i, FRAGMENT), Boolean.toString(b.fragment()));
        }
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), "snapshot", StoreLayout.TEMPORARY_SUFFIX);
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                p.store(out, "Trampoline bundle-set snapshot " + hash);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Reads a snapshot file; an {@link IOException} naming the file and the key if it is not one. */
    public static SnapshotFile read(Path file) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IllegalArgumentException e) { // a malformed \\u escape
            throw new IOException("snapshot file " + file + " is not a properties file: " + e.getMessage(), e);
        }
        try {
            return of(p);
        } catch (IllegalArgumentException e) {
            throw new IOException("snapshot file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The snapshot {@code p} holds; an {@link IllegalArgumentException} naming the key that is missing or not a
     * number. Start level, start order and the flags have defaults (1, install order, false).
     */
    public static SnapshotFile of(Properties p) {
        String hash = p.getProperty(HASH, "");
        Path store = Path.of(required(p, STORE));
        Map<String, String> framework = new HashMap<>();
        for (String key : p.stringPropertyNames()) {
            if (key.startsWith(FRAMEWORK)) {
                framework.put(key.substring(FRAMEWORK.length()), p.getProperty(key));
            }
        }
        int count = number(p, COUNT, 0);
        List<Entry> bundles = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            bundles.add(new Entry(required(p, key(i, LOCATION)), p.getProperty(key(i, SYMBOLIC_NAME), ""),
                    p.getProperty(key(i, VERSION)), required(p, key(i, SHA256)), number(p, key(i, START_LEVEL), 1),
                    flag(p, key(i, START)), flag(p, key(i, LAZY)), number(p, key(i, START_ORDER), i),
                    p.getProperty(key(i, CHILD_ROLE)), flag(p, key(i, RESOLVE)), flag(p, key(i, FRAGMENT))));
        }
        return new SnapshotFile(hash, store, framework, bundles);
    }

    /** The key of a bundle's field: {@code bundle.<i>.<field>}. */
    private static String key(int i, String field) {
        return BUNDLE + i + "." + field;
    }

    private static String required(Properties p, String key) {
        String value = p.getProperty(key);
        if (value == null) {
            throw new IllegalArgumentException("no " + key + " (the parent's remote bundle writes every snapshot)");
        }
        return value;
    }

    /** A flag: {@code true} is true, anything else (or nothing) false. */
    private static boolean flag(Properties p, String key) {
        return Boolean.parseBoolean(p.getProperty(key));
    }

    private static int number(Properties p, String key, int absent) {
        String value = p.getProperty(key);
        if (value == null) {
            return absent;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " is '" + value + "', not a whole number");
        }
    }
}
