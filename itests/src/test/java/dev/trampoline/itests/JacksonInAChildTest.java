package dev.trampoline.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jackson as plugins use it, with the real bundles from Maven Central: a plugin's service builds a Jackson tree in
 * the child JVM the call runs in, and the tree itself comes back. Jackson's {@code JsonNode} crosses the boundary
 * through its own serialized form ({@code NodeSerialization}, a class of a bundle the parent runs), so the answer
 * is read with the bundle's class loader and through the deserialization filter.
 */
class JacksonInAChildTest {

    @TempDir
    Path work;

    @Test
    void aJacksonTreeBuiltInAChildComesBackAsATree() throws Exception {
        Path deploy = Files.createDirectories(work.resolve("deploy"));
        for (Path jar : Examples.jacksonBundles()) {
            Files.copy(jar, deploy.resolve(jar.getFileName()));
        }
        treeBuilder().writeTo(deploy.resolve("tree-builder.jar"));

        LauncherProcess p = LauncherProcess.run(work, "tramp:call '(test.name=test.jackson)' get\n");

        assertEquals(0, p.exitCode(), p.describe());
        Matcher answer = Pattern.compile("(?s).*\\{\"builtIn\":(\\d+),\"type\":\"ObjectNode\"}\\s*"
                + "\\(computed by child pid (\\d+)\\).*").matcher(p.out());
        assertTrue(answer.matches(), "the tree, then the child that computed it:\n" + p.describe());
        assertEquals(answer.group(2), answer.group(1), "built in the child the call ran in");
        assertTrue(!answer.group(1).equals(Long.toString(p.process().pid())), "not in the runtime itself");
    }

    /** A {@code Supplier} whose {@code get} builds an {@code ObjectNode} naming the JVM it runs in. */
    private static TestBundle treeBuilder() {
        return TestBundle.named("test.jackson", "1.0.0")
                .importing("org.osgi.framework,com.fasterxml.jackson.databind,com.fasterxml.jackson.databind.node")
                .header("Bundle-Activator", "tree.Activator")
                .source("tree.Activator", "package tree;\n"
                        + "public final class Activator implements org.osgi.framework.BundleActivator {\n"
                        + "  public void start(org.osgi.framework.BundleContext c) {\n"
                        + "    java.util.Hashtable<String, Object> p = new java.util.Hashtable<>();\n"
                        + "    p.put(\"test.name\", \"test.jackson\");\n"
                        + "    Class<?> loader = getClass();\n"
                        + "    java.util.function.Supplier<Object> s = () -> build(loader);\n"
                        + "    c.registerService(java.util.function.Supplier.class, s, p);\n"
                        + "  }\n"
                        // Found by reflection: the test compiles its bundles without Jackson on the class path.
                        + "  static Object build(Class<?> loader) {\n"
                        + "    try {\n"
                        + "      Object mapper = Class.forName(\"com.fasterxml.jackson.databind.ObjectMapper\", true,\n"
                        + "          loader.getClassLoader()).getConstructor().newInstance();\n"
                        + "      Object node = mapper.getClass().getMethod(\"createObjectNode\").invoke(mapper);\n"
                        + "      node.getClass().getMethod(\"put\", String.class, long.class)\n"
                        + "          .invoke(node, \"builtIn\", ProcessHandle.current().pid());\n"
                        + "      node.getClass().getMethod(\"put\", String.class, String.class)\n"
                        + "          .invoke(node, \"type\", node.getClass().getSimpleName());\n"
                        + "      return node;\n"
                        + "    } catch (ReflectiveOperationException e) {\n"
                        + "      throw new IllegalStateException(e);\n"
                        + "    }\n"
                        + "  }\n"
                        + "  public void stop(org.osgi.framework.BundleContext c) { }\n"
                        + "}\n");
    }
}
