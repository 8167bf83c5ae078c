package dev.trampoline.bench;

import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.time.Duration;

import org.osgi.framework.ServiceReference;
import org.osgi.util.promise.Promise;

import dev.trampoline.launcher.Trampoline;
import dev.trampoline.launcher.TrampolineRuntime;
import dev.trampoline.runtime.remote.CallOptions;
import dev.trampoline.runtime.remote.RemoteExecutor;

/**
 * Children over SSH beside local ones, in one runtime and one run: the first call on a host never contacted
 * (its JDK checked, the jar copied, the bundles shipped), a fresh child, and the warm round trip, each against the
 * same figure on this machine. The host is the user's ({@code --ssh-host ALIAS}, with {@code --ssh-config FILE}
 * if the alias is not in the user's own ssh config): this machine's sshd works, and shows what SSH itself costs.
 */
final class SshFigures {

    private static final String HOST = "bench";

    private final Workspace workspace;
    private final Settings settings;
    private final Report report;

    SshFigures(Workspace workspace, Settings settings, Report report) {
        this.workspace = workspace;
        this.settings = settings;
        this.report = report;
    }

    void run(String address, Path sshConfig, Trampoline builder) throws Exception {
        builder.frameworkProperty("dev.trampoline.remote.hosts", HOST)
                .frameworkProperty("dev.trampoline.remote.hosts." + HOST + ".address", address)
                .frameworkProperty("dev.trampoline.remote.hosts." + HOST + ".slots", "4")
                // a work folder of this run's, so that the first call finds nothing there
                .frameworkProperty("dev.trampoline.remote.hosts." + HOST + ".work",
                        ".cache/trampoline-bench-" + System.nanoTime());
        if (sshConfig != null) {
            builder.frameworkProperty("dev.trampoline.remote.hosts." + HOST + ".sshConfig", sshConfig.toString());
        }
        try (TrampolineRuntime runtime = builder.start()) {
            RemoteExecutor executor = runtime.service(RemoteExecutor.class, Duration.ofSeconds(30));
            ServiceReference<?> greeter = ChildFigures.reference(runtime, "dev.trampoline.examples.greeter.Greeter");
            CallOptions there = CallOptions.DEFAULT.withHost(HOST);
            Samples first = new Samples();
            first.add(millis(() -> call(executor, greeter, there)));
            report.add(new Figure("first call on a host never contacted (ssh to " + address + ")", "ms", first, 90,
                    null, Double.NaN, false, "-"));

            Samples freshThere = new Samples();
            Samples freshHere = new Samples();
            for (int i = 0; i < settings.freshRuns(); i++) { // interleaved: both see the same machine
                freshThere.add(millis(() -> call(executor, greeter, there.withFresh(true))));
                freshHere.add(millis(() -> call(executor, greeter, CallOptions.DEFAULT.withFresh(true))));
            }
            report.add(new Figure("fresh child over ssh", "ms", freshThere, 90, "fresh child on this machine",
                    freshHere.median(), false, "-"));

            for (int i = 0; i < settings.warmUpCalls(); i++) {
                call(executor, greeter, there);
                call(executor, greeter, CallOptions.DEFAULT);
            }
            Samples warmThere = new Samples();
            Samples warmHere = new Samples();
            for (int i = 0; i < settings.warmCalls(); i++) {
                warmThere.add(millis(() -> call(executor, greeter, there)) * 1e3);
                warmHere.add(millis(() -> call(executor, greeter, CallOptions.DEFAULT)) * 1e3);
            }
            report.add(new Figure("warm call round trip over ssh", "µs", warmThere, 99,
                    "warm round trip on this machine", warmHere.median(), false, "-"));
        }
    }

    private static void call(RemoteExecutor executor, ServiceReference<?> greeter, CallOptions options)
            throws Exception {
        Promise<Object> p = executor.invoke(greeter, "greet", new Object[] {"bench"}, options);
        try {
            p.getValue();
        } catch (InvocationTargetException e) {
            throw (Exception) e.getCause();
        }
    }

    private interface Call {
        void run() throws Exception;
    }

    private static double millis(Call call) throws Exception {
        long t0 = System.nanoTime();
        call.run();
        return (System.nanoTime() - t0) / 1e6;
    }
}
