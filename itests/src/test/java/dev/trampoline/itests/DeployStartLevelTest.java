package dev.trampoline.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deploy folders with start levels, through the real launcher: a "weaver" (standing for Aries SPI Fly) in a folder
 * at level 2 runs before the "consumers" in a folder at level 3, each of which records what state the weaver was
 * in when it started. Both levels are above the framework's default beginning level (1), and the consumers' folder
 * is named first. Without levels a batch starts in no particular order, and a restart in install order (no
 * particular order either): one of three consumers or more would come first. The order holds on the first start
 * (the deployer's batch), on a restart (the framework's own start levels) and in a child JVM.
 */
class DeployStartLevelTest {

    /** Several, so that a batch started in no particular order would start one of them before the weaver. */
    private static final List<String> CONSUMERS = List.of("consumer1", "consumer2", "consumer3");
    /** What starting in level order leaves in the order file: the weaver, then the consumers in any order. */
    private static final List<String> IN_ORDER = List.of("weaver level=2", "consumer1 level=3 weaver=ACTIVE",
            "consumer2 level=3 weaver=ACTIVE", "consumer3 level=3 weaver=ACTIVE");

    @TempDir
    Path work;

    @Test
    void aLowerLevelFolderRunsFirstOnDeployOnRestartAndInAChild() throws Exception {
        Path consumers = Files.createDirectories(work.resolve("consumers"));
        Path weavers = Files.createDirectories(work.resolve("weavers"));
        Path orderFile = work.resolve("order.txt");
        for (String name : CONSUMERS) {
            consumer(name).writeTo(consumers.resolve(name + ".jar"));
        }
        weaver().writeTo(weavers.resolve("weaver.jar"));
        String[] args = {"--storage", "storage", "--deploy", "consumers@3", "--deploy", "weavers@2",
            "-Dorder.file=" + orderFile};

        LauncherProcess first = LauncherProcess.run(work, "lb\ntramp:deploy\n", args);

        assertEquals(0, first.exitCode(), first.describe());
        assertEquals(IN_ORDER, startsIn(orderFile, first.process().pid()), first.describe());
        assertTrue(first.out().matches("(?s).*\\|\\s*2\\|order\\.weaver .*"), "lb shows level 2:\n" + first.out());
        assertTrue(first.out().matches("(?s).*\\|\\s*3\\|order\\.consumer1 .*"), "lb shows level 3:\n" + first.out());
        assertTrue(first.out().contains("Deploy folder " + weavers + " (start level 2)\n"), first.out());
        assertTrue(first.out().matches(
                "(?s).*weaver\\.jar\\s+ACTIVE\\s+bundle \\d+ order\\.weaver 1\\.0\\.0 level 2\n.*"),
                first.out());
        assertTrue(first.err().contains("(start level 3)"), "the launcher's banner names the levels:\n" + first.err());

        try (LauncherProcess second = LauncherProcess.start(work, args)) {
            second.type("lb\n");
            second.type("tramp:call '(test.name=order.consumer1)' get\n");
            Eventually.until("the child answered", () -> second.out().contains("(computed by child pid"),
                    second::describe);

            assertEquals(IN_ORDER, startsIn(orderFile, second.process().pid()),
                    "the restart starts by level:\n" + second.describe());
            assertTrue(second.out().matches("(?s).*\\|\\s*2\\|order\\.weaver .*"), second.out());
            assertTrue(second.out().matches("(?s).*\\|\\s*3\\|order\\.consumer1 .*"), second.out());
            Matcher child = Pattern.compile("(?s).*?(consumer1 level=3 weaver=\\S+)\\s*"
                    + "\\(computed by child pid (\\d+)\\).*").matcher(second.out());
            assertTrue(child.matches(), second.describe());
            assertEquals("consumer1 level=3 weaver=ACTIVE", child.group(1), "as the child's consumer saw it");
            assertEquals(IN_ORDER, startsIn(orderFile, Long.parseLong(child.group(2))), "the child starts by level");
        }
    }

    /**
     * What the test bundles recorded when they started in the process {@code pid}: the first, then the others
     * sorted (bundles of one level start in install order, and the scan that installs them takes the files of a
     * folder in no particular order).
     */
    private static List<String> startsIn(Path orderFile, long pid) throws IOException {
        String prefix = pid + " ";
        List<String> starts = Files.readAllLines(orderFile).stream().filter(l -> l.startsWith(prefix))
                .map(l -> l.substring(prefix.length())).toList();
        if (starts.isEmpty()) {
            return starts;
        }
        List<String> firstThenSorted = new java.util.ArrayList<>(List.of(starts.get(0)));
        starts.stream().skip(1).sorted().forEach(firstThenSorted::add);
        return firstThenSorted;
    }

    /** Appends "PID weaver level=N" to the file named by the framework property order.file when it starts. */
    private static TestBundle weaver() {
        return TestBundle.named("order.weaver", "1.0.0").importing("org.osgi.framework,org.osgi.framework.startlevel")
                .header("Bundle-Activator", "order.weaver.Activator")
                .source("order.weaver.Activator", "package order.weaver;\n"
                        + "public final class Activator implements org.osgi.framework.BundleActivator {\n"
                        + "  public void start(org.osgi.framework.BundleContext c) throws Exception {\n"
                        + "    int level = c.getBundle().adapt(org.osgi.framework.startlevel.BundleStartLevel.class)"
                        + ".getStartLevel();\n"
                        + "    java.nio.file.Files.writeString(java.nio.file.Path.of(c.getProperty(\"order.file\")),"
                        + " ProcessHandle.current().pid() + \" weaver level=\" + level + \"\\n\","
                        + " java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);\n"
                        + "  }\n"
                        + "  public void stop(org.osgi.framework.BundleContext c) { }\n"
                        + "}\n");
    }

    /**
     * Appends "PID NAME level=N weaver=STATE" (the weaver's state when it started) to the order file, and
     * answers the same through a Supplier service with test.name=order.NAME.
     */
    private static TestBundle consumer(String name) {
        return TestBundle.named("order." + name, "1.0.0").importing("org.osgi.framework,org.osgi.framework.startlevel")
                .header("Bundle-Activator", "order." + name + ".Activator")
                .source("order." + name + ".Activator", "package order." + name + ";\n"
                        + "public final class Activator implements org.osgi.framework.BundleActivator {\n"
                        + "  public void start(org.osgi.framework.BundleContext c) throws Exception {\n"
                        + "    String weaver = \"MISSING\";\n"
                        + "    for (org.osgi.framework.Bundle b : c.getBundles()) {\n"
                        + "      if (\"order.weaver\".equals(b.getSymbolicName())) {\n"
                        + "        weaver = b.getState() == org.osgi.framework.Bundle.ACTIVE ? \"ACTIVE\""
                        + " : \"state\" + b.getState();\n"
                        + "      }\n"
                        + "    }\n"
                        + "    int level = c.getBundle().adapt(org.osgi.framework.startlevel.BundleStartLevel.class)"
                        + ".getStartLevel();\n"
                        + "    String seen = \"" + name + " level=\" + level + \" weaver=\" + weaver;\n"
                        + "    java.nio.file.Files.writeString(java.nio.file.Path.of(c.getProperty(\"order.file\")),"
                        + " ProcessHandle.current().pid() + \" \" + seen + \"\\n\","
                        + " java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);\n"
                        + "    java.util.Hashtable<String, Object> p = new java.util.Hashtable<>();\n"
                        + "    p.put(\"test.name\", \"order." + name + "\");\n"
                        + "    java.util.function.Supplier<String> s = () -> seen;\n"
                        + "    c.registerService(java.util.function.Supplier.class, s, p);\n"
                        + "  }\n"
                        + "  public void stop(org.osgi.framework.BundleContext c) { }\n"
                        + "}\n");
    }
}
