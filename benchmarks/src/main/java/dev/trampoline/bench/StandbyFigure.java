package dev.trampoline.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.osgi.framework.ServiceReference;

import dev.trampoline.launcher.Trampoline;
import dev.trampoline.launcher.TrampolineRuntime;
import dev.trampoline.runtime.remote.CallOptions;
import dev.trampoline.runtime.remote.RemoteExecutor;

/**
 * The first call to a service of a bundle that was just hot deployed, with a standby child present: the
 * standby child moves to the new bundle set in place instead of a new JVM starting.
 */
final class StandbyFigure {

    private final Workspace workspace;
    private final Settings settings;
    private final Report report;

    StandbyFigure(Workspace workspace, Settings settings, Report report) {
        this.workspace = workspace;
        this.settings = settings;
        this.report = report;
    }

    void run(double freshChildMillis) throws Exception {
        Path deploy = workspace.folder("standby-deploy");
        Samples samples = new Samples();
        try (TrampolineRuntime runtime = Trampoline.builder().deployFolder(deploy)
                .storage(workspace.folder("standby-storage")).logToConsole(false).logLevel("WARN")
                .systemPackagesExtra("dev.trampoline.runtime.remote;version=2.2.0")
                .systemPackagesExtra("org.osgi.util.promise;version=1.3.0")
                .systemPackagesExtra("org.osgi.util.function;version=1.2.0")
                .frameworkProperty("trampoline.pool.standby", "1").start()) {
            RemoteExecutor executor = runtime.service(RemoteExecutor.class, Duration.ofSeconds(30));
            Thread.sleep(2000); // the standby child is up (and the class-data archive made) before anything is timed
            for (int i = 0; i < settings.dropRuns(); i++) {
                String bsn = "bench.greeter." + i;
                Path staged = workspace.folder("standby-staging").resolve(bsn + ".jar");
                Files.write(staged, renamed(workspace.bundle("greeter"), bsn));
                Files.move(staged, deploy.resolve(bsn + ".jar"), StandardCopyOption.ATOMIC_MOVE);
                ServiceReference<?> ref = await(runtime, bsn);
                long t0 = System.nanoTime();
                Object answer = executor.invoke(ref, "greet", new Object[] {"standby"}, CallOptions.DEFAULT).getValue();
                samples.add((System.nanoTime() - t0) / 1e6);
                if (!"Hello, standby!".equals(answer)) {
                    throw new IllegalStateException("unexpected answer " + answer);
                }
                Thread.sleep(1500); // the used child retires and a new standby child starts before the next drop
            }
        } catch (InvocationTargetException e) {
            throw (Exception) e.getCause();
        }
        report.add(new Figure("first call after a hot deploy, standby child present", "ms", samples, 90,
                "fresh child, submit → result", freshChildMillis, false, "≤ 100 ms; ≤ 0.5× fresh child"));
    }

    private static ServiceReference<?> await(TrampolineRuntime runtime, String bsn) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            ServiceReference<?>[] refs = runtime.bundleContext()
                    .getAllServiceReferences("dev.trampoline.examples.greeter.Greeter", null);
            if (refs != null) {
                for (ServiceReference<?> r : refs) {
                    if (bsn.equals(r.getBundle().getSymbolicName())) {
                        return r;
                    }
                }
            }
            Thread.sleep(2);
        }
        throw new IllegalStateException(bsn + " did not register its Greeter within 30 s");
    }

    /** The greeter example under another symbolic name: a new bundle to deploy, with a real DS service. */
    private static byte[] renamed(Path jar, String symbolicName) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (InputStream raw = Files.newInputStream(jar); JarInputStream in = new JarInputStream(raw)) {
            Manifest m = in.getManifest();
            m.getMainAttributes().putValue("Bundle-SymbolicName", symbolicName);
            m.getMainAttributes().remove(new java.util.jar.Attributes.Name("Export-Package"));
            m.getMainAttributes().remove(new java.util.jar.Attributes.Name("Import-Package"));
            m.getMainAttributes().putValue("Import-Package", "dev.trampoline.examples.greeter;version=\"[1,2)\"");
            try (JarOutputStream out = new JarOutputStream(bytes, m)) {
                JarEntry e;
                while ((e = in.getNextJarEntry()) != null) {
                    if (e.getName().startsWith("dev/trampoline/examples/greeter/") && !e.getName().contains("/internal/")) {
                        continue; // the API package comes from the greeter bundle already there
                    }
                    out.putNextEntry(new JarEntry(e.getName()));
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
        }
        return bytes.toByteArray();
    }
}
