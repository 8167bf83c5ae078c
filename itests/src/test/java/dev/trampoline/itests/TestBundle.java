package dev.trampoline.itests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

/**
 * Builds real bundle jars for tests: Java sources compiled with the JDK's compiler, packed with a manifest.
 * The ready-made shapes register a {@code java.util.function.Supplier<String>} (a JDK type, so the test
 * can call it across the framework boundary) with the property {@code test.name} = the symbolic name.
 */
final class TestBundle {

    private static final Map<String, Map<String, byte[]>> COMPILED = new ConcurrentHashMap<>();

    private final Map<String, String> headers = new LinkedHashMap<>();
    private final Map<String, String> sources = new LinkedHashMap<>();
    /** Compiled with the bundle's sources but not packed: stand-ins for classes another bundle provides. */
    private final Map<String, String> compileOnly = new LinkedHashMap<>();
    private final Map<String, String> resources = new LinkedHashMap<>();

    private TestBundle(String symbolicName, String version) {
        headers.put("Manifest-Version", "1.0");
        headers.put("Bundle-ManifestVersion", "2");
        headers.put("Bundle-SymbolicName", symbolicName);
        headers.put("Bundle-Version", version);
    }

    static TestBundle named(String symbolicName, String version) {
        return new TestBundle(symbolicName, version);
    }

    /** A bundle whose Supplier service answers {@code text}. */
    static TestBundle supplier(String symbolicName, String version, String text) {
        return named(symbolicName, version).activatorSupplying('"' + text + '"');
    }

    /** A bundle exporting package {@code pkg} with a class {@code Message} whose {@code text()} is {@code text}. */
    static TestBundle api(String symbolicName, String pkg, String text) {
        return named(symbolicName, "1.0.0").header("Export-Package", pkg + ";version=1.0.0")
                .source(pkg + ".Message", "package " + pkg + "; public final class Message {"
                        + " public static String text() { return \"" + text + "\"; } }");
    }

    /** A bundle importing {@code pkg} whose Supplier answers {@code pkg.Message.text()}. */
    static TestBundle client(String symbolicName, String pkg) {
        TestBundle client = named(symbolicName, "1.0.0").importing(pkg + ";version=\"[1,2)\"")
                .activatorSupplying(pkg + ".Message.text()");
        client.compileOnly.put(pkg + ".Message", "package " + pkg + "; public final class Message {"
                + " public static String text() { return null; } }");
        return client;
    }

    TestBundle header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    TestBundle importing(String packages) {
        String current = headers.get("Import-Package");
        headers.put("Import-Package", current == null ? packages : current + "," + packages);
        return this;
    }

    /** Adds a text file to the jar (a component description, say). */
    TestBundle resource(String path, String text) {
        resources.put(path, text);
        return this;
    }

    /**
     * Adds a Declarative Services 1.5 component {@code name}, immediate, offering the Supplier service (with
     * {@code test.name} = {@code name}) that answers {@code text}, with the component properties
     * {@code properties} (name=value).
     */
    TestBundle component(String name, String text, String... properties) {
        return component(name, text, null, properties);
    }

    /** {@link #component} with a mandatory reference named {@code needs} to a Supplier matching {@code target}. */
    TestBundle componentNeeding(String name, String text, String target) {
        return component(name, text, target, new String[0]);
    }

    private TestBundle component(String name, String text, String needsTarget, String[] properties) {
        String pkg = "comp." + name.replaceAll("[^A-Za-z0-9]", "_");
        StringBuilder props = new StringBuilder();
        for (String p : properties) {
            int eq = p.indexOf('=');
            props.append("  <property name=\"").append(p, 0, eq).append("\" value=\"").append(p.substring(eq + 1))
                    .append("\"/>\n");
        }
        String xml = "OSGI-INF/" + name + ".xml";
        String current = headers.get("Service-Component");
        headers.put("Service-Component", current == null ? xml : current + "," + xml);
        resource(xml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.5.0\" name=\"" + name
                + "\" immediate=\"true\">\n"
                + "  <implementation class=\"" + pkg + ".Component\"/>\n"
                + "  <property name=\"test.name\" value=\"" + name + "\"/>\n" + props
                + "  <service><provide interface=\"java.util.function.Supplier\"/></service>\n"
                + (needsTarget == null ? "" : "  <reference name=\"needs\" interface=\"java.util.function.Supplier\""
                        + " target=\"" + needsTarget + "\"/>\n")
                + "</scr:component>\n");
        return source(pkg + ".Component", "package " + pkg + ";\n"
                + "public final class Component implements java.util.function.Supplier<String> {\n"
                + "  public String get() { return \"" + text + "\"; }\n"
                + "}\n");
    }

    /**
     * Adds a Declarative Services component {@code name} configured by {@code pid}, offering the Supplier
     * service (with {@code test.name} = {@code name}) that answers its configuration's {@code text} property.
     */
    TestBundle configuredComponent(String name, String pid) {
        String pkg = "comp." + name.replaceAll("[^A-Za-z0-9]", "_");
        String xml = "OSGI-INF/" + name + ".xml";
        String current = headers.get("Service-Component");
        headers.put("Service-Component", current == null ? xml : current + "," + xml);
        resource(xml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.4.0\" name=\"" + name
                + "\" immediate=\"true\" configuration-pid=\"" + pid + "\" activate=\"configure\""
                + " modified=\"configure\">\n"
                + "  <implementation class=\"" + pkg + ".Component\"/>\n"
                + "  <property name=\"test.name\" value=\"" + name + "\"/>\n"
                + "  <service><provide interface=\"java.util.function.Supplier\"/></service>\n"
                + "</scr:component>\n");
        return source(pkg + ".Component", "package " + pkg + ";\n"
                + "public final class Component implements java.util.function.Supplier<String> {\n"
                + "  private volatile String text;\n"
                + "  void configure(java.util.Map<String, Object> p) { text = String.valueOf(p.get(\"text\")); }\n"
                + "  public String get() { return text; }\n"
                + "}\n");
    }

    TestBundle source(String className, String code) {
        sources.put(className, code);
        return this;
    }

    /** Adds a BundleActivator that registers a Supplier returning the Java expression {@code expression}. */
    TestBundle activatorSupplying(String expression) {
        String bsn = headers.get("Bundle-SymbolicName");
        String pkg = "act." + bsn.replaceAll("[^A-Za-z0-9]", "_");
        importing("org.osgi.framework");
        header("Bundle-Activator", pkg + ".Activator");
        return source(pkg + ".Activator", "package " + pkg + ";\n"
                + "public final class Activator implements org.osgi.framework.BundleActivator {\n"
                + "  public void start(org.osgi.framework.BundleContext c) {\n"
                + "    java.util.Hashtable<String, Object> p = new java.util.Hashtable<>();\n"
                + "    p.put(\"test.name\", \"" + bsn + "\");\n"
                + "    java.util.function.Supplier<String> s = () -> " + expression + ";\n"
                + "    c.registerService(java.util.function.Supplier.class, s, p);\n"
                + "  }\n"
                + "  public void stop(org.osgi.framework.BundleContext c) { }\n"
                + "}\n");
    }

    byte[] build() throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        headers.forEach((k, v) -> main.put(new Attributes.Name(k), v));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, manifest)) {
            for (Map.Entry<String, byte[]> c : compile().entrySet()) {
                jar.putNextEntry(new JarEntry(c.getKey()));
                jar.write(c.getValue());
                jar.closeEntry();
            }
            for (Map.Entry<String, String> r : resources.entrySet()) {
                jar.putNextEntry(new JarEntry(r.getKey()));
                jar.write(r.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                jar.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** Writes the jar to {@code file} (through a temporary name and a rename, as a careful user would). */
    Path writeTo(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, build());
        return Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private boolean isCompileOnly(String entry) {
        for (String name : compileOnly.keySet()) {
            String path = name.replace('.', '/');
            if (entry.equals(path + ".class") || entry.startsWith(path + "$")) {
                return true;
            }
        }
        return false;
    }

    private Map<String, byte[]> compile() throws IOException {
        if (sources.isEmpty()) {
            return Map.of();
        }
        return COMPILED.computeIfAbsent(sources + "|" + compileOnly, k -> {
            try {
                return doCompile();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private Map<String, byte[]> doCompile() throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        Path out = Files.createTempDirectory("test-bundle-classes");
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, null)) {
            files.setLocation(StandardLocation.CLASS_OUTPUT, List.of(out.toFile()));
            List<JavaFileObject> units = new ArrayList<>();
            Map<String, String> all = new LinkedHashMap<>(sources);
            all.putAll(compileOnly);
            all.forEach((name, code) -> units.add(new SimpleJavaFileObject(
                    URI.create("string:///" + name.replace('.', '/') + ".java"), JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return code;
                }
            }));
            StringWriter diagnostics = new StringWriter();
            boolean ok = javac.getTask(diagnostics, files, null,
                    List.of("--release", "17", "-classpath", System.getProperty("java.class.path")), null, units)
                    .call();
            if (!ok) {
                throw new IllegalStateException("Test bundle did not compile:\n" + diagnostics);
            }
        }
        Map<String, byte[]> classes = new LinkedHashMap<>();
        try (Stream<Path> walk = Files.walk(out)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                String entry = out.relativize(p).toString().replace('\\', '/');
                if (!isCompileOnly(entry)) {
                    classes.put(entry, Files.readAllBytes(p));
                }
            }
        }
        return classes;
    }
}
