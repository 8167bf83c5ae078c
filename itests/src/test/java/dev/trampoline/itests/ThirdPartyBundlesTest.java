package dev.trampoline.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bundles people actually deploy, from Maven Central: Felix HTTP with Jetty and the Web Console. The parent
 * serves HTTP; a child reinstalls them (their classes load there) but starts neither, so it opens no port.
 */
class ThirdPartyBundlesTest {

    @TempDir
    Path work;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void childOfARuntimeServingHttpAndTheWebConsoleAnswersAndListensOnNoPort() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")),
                "a process's sockets are read from /proc");
        Path deploy = Files.createDirectories(work.resolve("deploy"));
        for (Path jar : Examples.thirdPartyBundles()) {
            Files.copy(jar, deploy.resolve(jar.getFileName()));
        }
        Files.copy(Examples.greeterJar(), deploy.resolve("greeter.jar"));
        Files.writeString(deploy.resolve("dev.trampoline.examples.greeter.cfg"), "greeting = Bonjour\n");
        int port = freePort();
        int childPort = freePort(); // were Jetty started in a child, it would listen there, not lose a race

        try (LauncherProcess p = LauncherProcess.start(work, "-Dorg.osgi.service.http.port=" + port,
                "-Dtrampoline.child.property.org.osgi.service.http.port=" + childPort,
                "-Dorg.apache.felix.http.host=127.0.0.1")) {
            p.type("tramp:call dev.trampoline.examples.greeter.Greeter greet World\n");
            Eventually.until("the call answered", () -> p.out().contains("(computed by child pid"), p::describe);
            assertTrue(p.out().contains("Bonjour, World!"), p.describe());
            long child = Long.parseLong(p.out().replaceAll("(?s).*computed by child pid (\\d+).*", "$1"));

            HttpURLConnection console = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/system/console")
                    .toURL().openConnection();
            console.setInstanceFollowRedirects(false);
            int status = console.getResponseCode();
            assertTrue(status == 401 || status == 302 || status == 200, "the parent's Web Console answers: " + status);

            assertEquals(Set.of(), listeningSockets(child), "sockets the child listens on");
            // Nor any other JVM of the runtime's (the spare, the class-data training child).
            for (ProcessHandle jvm : p.process().descendants().toList()) {
                assertEquals(Set.of(), listeningSockets(jvm.pid()), "sockets JVM " + jvm.pid() + " listens on");
            }

            p.type("tramp:bundleset\n");
            Eventually.until("the bundle set is listed", () -> p.out().contains("org.apache.felix.webconsole "),
                    p::describe);
            assertTrue(p.out().matches("(?s).*org\\.apache\\.felix\\.http\\.jetty .*ACTIVE +install: "
                    + "trampoline\\.child\\.resolve org\\.apache\\.felix\\.http\\.jetty\\*.*"), p.describe());
        }
    }

    /**
     * The TCP sockets process {@code pid} listens on (local address:port in hex, as the kernel lists them): its
     * socket descriptors matched against the listening entries of {@code /proc/net/tcp} and {@code tcp6}.
     */
    static Set<String> listeningSockets(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring("socket:[".length(), target.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // gone between the listing and the read
                }
            }
        } catch (java.nio.file.NoSuchFileException | java.io.UncheckedIOException exited) {
            return Set.of(); // the process is gone: it listens on nothing
        }
        Set<String> listening = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path file = Path.of(table);
            if (!Files.exists(file)) {
                continue;
            }
            for (String line : Files.readAllLines(file)) {
                String[] f = line.trim().split("\\s+");
                // sl local_address rem_address st ... uid timeout inode
                if (f.length > 9 && f[3].equals("0A") && inodes.contains(f[9])) {
                    listening.add(f[1]);
                }
            }
        }
        return listening;
    }
}
