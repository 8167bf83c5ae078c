package dev.trampoline.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

import org.osgi.framework.ServiceReference;
import org.osgi.util.promise.Promise;

import dev.trampoline.launcher.TrampolineRuntime;
import dev.trampoline.runtime.remote.CallOptions;
import dev.trampoline.runtime.remote.RemoteExecutor;
import dev.trampoline.runtime.remote.RemoteTask;

/** Figures of calls on child JVMs, each with its baseline measured here too. */
final class ChildFigures {

    /** Two reusable children: calls with different environments never share one. */
    private static final CallOptions LANE_A = CallOptions.DEFAULT.withEnvironment(Map.of("TRAMPOLINE_BENCH_LANE", "a"));
    private static final CallOptions LANE_B = CallOptions.DEFAULT.withEnvironment(Map.of("TRAMPOLINE_BENCH_LANE", "b"));

    private final TrampolineRuntime runtime;
    private final RemoteExecutor executor;
    private final Workspace workspace;
    private final Settings settings;
    private final Report report;
    private final ServiceReference<?> greeter;
    private final ServiceReference<?> primes;

    ChildFigures(TrampolineRuntime runtime, Workspace workspace, Settings settings, Report report) throws Exception {
        this.runtime = runtime;
        this.workspace = workspace;
        this.settings = settings;
        this.report = report;
        this.executor = runtime.service(RemoteExecutor.class, Duration.ofSeconds(30));
        this.greeter = reference("dev.trampoline.examples.greeter.Greeter");
        this.primes = reference("dev.trampoline.examples.primes.Primes");
    }

    private ServiceReference<?> reference(String type) throws Exception {
        return reference(runtime, type);
    }

    /** A reference to a {@code type} service of {@code runtime}, waiting for one to be registered (30 s at most). */
    static ServiceReference<?> reference(TrampolineRuntime runtime, String type) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            // All references: the host may see another copy of the type on its own class path (tests do).
            ServiceReference<?>[] refs = runtime.bundleContext().getAllServiceReferences(type, null);
            if (refs != null) {
                return refs[0];
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no " + type + " service: is its example bundle deployed?");
            }
            Thread.sleep(10);
        }
    }

    private static Object await(Promise<?> p) throws Exception {
        try {
            return p.getValue();
        } catch (InvocationTargetException e) {
            throw (Exception) e.getCause();
        }
    }

    private Object greet(CallOptions options) throws Exception {
        return await(executor.invoke(greeter, "greet", new Object[] {"bench"}, options));
    }

    /** Returns the fresh child's median, the baseline of the standby figure (see {@link FreshChildFigures}). */
    double freshChild() throws Exception {
        return new FreshChildFigures(executor, greeter, workspace, settings, report, () -> naiveFelix(false)).run();
    }

    Process naiveFelix(boolean hold) throws IOException {
        List<Path> examples = new ArrayList<>();
        for (String b : List.of("greeter", "primes", "jobs")) {
            examples.add(workspace.bundle(b));
        }
        return NaiveFelix.start(workspace, hold, examples);
    }

    /**
     * The round trip once both JVMs compiled the call path, and, as its own row, while they still compile it:
     * until then the compiler threads take the cores that the four threads of a call wait for, which shows
     * in the tail.
     */
    void warmRoundTrip(PythonBaseline python) throws Exception {
        int first = Math.max(200, settings.warmCalls() / 5);
        for (int i = 0; i < first; i++) {
            greet(LANE_A);
        }
        Samples compiling = roundTrips();
        for (int i = 0; i < settings.warmUpCalls(); i++) {
            greet(LANE_A);
        }
        Samples warm = roundTrips();
        PythonBaseline.Result py = python.result();
        String pyName = py == null ? null : "Python ProcessPoolExecutor trivial call";
        double pyMicros = py == null ? Double.NaN : py.callMicros();
        report.add(new Figure("warm call round trip, small arguments", "µs", warm, 99, pyName, pyMicros, false,
                "≤ 100 µs, p99 ≤ 1 ms; ≥ 3× faster than Python"));
        int from = first + settings.warmCalls() + settings.warmUpCalls() + 1;
        report.note("The warm round trip is calls " + from + " to " + (from + settings.warmCalls() - 1)
                + " of one child; the row below it is calls " + (first + 1) + " to " + (first + settings.warmCalls())
                + ", while both JVMs still compile the call path. Throughput is measured after one untimed run of"
                + " as many calls.");
        report.add(new Figure("round trip while the JIT compiles (calls " + (first + 1) + " to "
                + (first + settings.warmCalls()) + ")", "µs", compiling, 99, pyName, pyMicros, false, "-"));
        if (py != null) {
            report.note("Python baseline (" + py.version() + ", spawn start method, plugin loaded with importlib by a"
                    + " trampoline initializer): first call after creating the pool " + Report.format(py.spawnMillis())
                    + " ms, trivial call median " + Report.format(py.callMicros()) + " µs, p99 "
                    + Report.format(py.callP99Micros()) + " µs.");
        }
    }

    /** {@link #warmRoundTrip} on a runtime whose callers sleep at once ({@code trampoline.remote.spinMicros=0}). */
    void sleepingRoundTrip(PythonBaseline python) throws Exception {
        for (int i = 0; i < Math.max(200, settings.warmCalls() / 5) + settings.warmUpCalls(); i++) {
            greet(LANE_A);
        }
        Samples warm = roundTrips();
        PythonBaseline.Result py = python.result();
        report.add(new Figure("warm call round trip, callers sleep at once (trampoline.remote.spinMicros=0)", "µs",
                warm, 99, py == null ? null : "Python ProcessPoolExecutor trivial call",
                py == null ? Double.NaN : py.callMicros(), false, "-"));
    }

    private Samples roundTrips() throws Exception {
        Samples micros = new Samples();
        for (int i = 0; i < settings.warmCalls(); i++) {
            long t0 = System.nanoTime();
            greet(LANE_A);
            micros.add((System.nanoTime() - t0) / 1e3);
        }
        return micros;
    }

    void throughput() throws Exception {
        Samples sequential = new Samples();
        Samples parallel = new Samples();
        greet(LANE_B); // the second child is up before anything is timed
        inFlight(settings.throughputCalls()); // and both children compiled the call path (see warmRoundTrip)
        for (int r = 0; r < settings.repeats(); r++) {
            int n = Math.max(100, settings.throughputCalls() / 5);
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                greet(LANE_A);
            }
            sequential.add(n / ((System.nanoTime() - t0) / 1e9));
            parallel.add(inFlight(settings.throughputCalls()));
        }
        report.add(new Figure("small-call throughput, 2 children, many in flight", "calls/s", parallel, 90,
                "one child, one call at a time", sequential.median(), true, "≥ 30,000 calls/s"));
    }

    private double inFlight(int calls) throws Exception {
        Semaphore window = new Semaphore(256);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long t0 = System.nanoTime();
        List<Promise<Object>> all = new ArrayList<>(calls);
        for (int i = 0; i < calls; i++) {
            window.acquire();
            Promise<Object> p = executor.invoke(greeter, "greet", new Object[] {"bench"}, i % 2 == 0 ? LANE_A : LANE_B);
            p.onResolve(() -> {
                window.release();
                try {
                    if (p.getFailure() != null) {
                        failure.compareAndSet(null, p.getFailure());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            all.add(p);
        }
        window.acquire(256);
        double rate = calls / ((System.nanoTime() - t0) / 1e9);
        if (failure.get() != null) {
            throw new IllegalStateException("a call failed during the throughput run", failure.get());
        }
        return rate;
    }

    void cpuBound() throws Exception {
        long limit = calibratePrimes();
        for (CallOptions lane : List.of(LANE_A, LANE_B)) { // both children compiled the loop before it is timed
            for (int i = 0; i < 2; i++) {
                await(executor.invoke(primes, "countBelow", new Object[] {limit}, lane));
            }
        }
        Samples one = new Samples();
        Samples two = new Samples();
        ExecutorService lanes = Executors.newFixedThreadPool(2);
        try {
            for (int r = 0; r < settings.repeats(); r++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < 4; i++) {
                    await(executor.invoke(primes, "countBelow", new Object[] {limit}, LANE_A));
                }
                one.add((System.nanoTime() - t0) / 1e6);
                t0 = System.nanoTime();
                List<Future<?>> both = new ArrayList<>();
                for (CallOptions lane : List.of(LANE_A, LANE_B)) {
                    both.add(lanes.submit(() -> {
                        for (int i = 0; i < 2; i++) {
                            await(executor.invoke(primes, "countBelow", new Object[] {limit}, lane));
                        }
                        return null;
                    }));
                }
                for (Future<?> f : both) {
                    f.get();
                }
                two.add((System.nanoTime() - t0) / 1e6);
            }
        } finally {
            lanes.shutdown();
        }
        report.add(new Figure("CPU-bound calls (primes), 4 calls on 2 children", "ms", two, 90,
                "the same 4 calls on 1 child, one at a time", one.median(), false, "≥ 1.8× (2 children vs 1)"));
    }

    /** A primes limit whose call takes about the configured time in a child. */
    /**
     * A limit for which one call takes about {@code cpuCallMillis} once compiled: the same limit must measure
     * in range twice running, since the first calls run before C2 compiled the loop and would give one too low.
     */
    private long calibratePrimes() throws Exception {
        long limit = 200_000;
        int inRange = 0;
        while (true) {
            long t0 = System.nanoTime();
            await(executor.invoke(primes, "countBelow", new Object[] {limit}, LANE_A));
            double ms = (System.nanoTime() - t0) / 1e6;
            if (ms >= settings.cpuCallMillis() * 0.7 || limit > 1L << 40) {
                if (++inRange == 2 || limit > 1L << 40) {
                    return limit;
                }
                continue;
            }
            inRange = 0;
            // trial division costs about limit^1.5
            limit = (long) (limit * Math.pow(Math.max(2, settings.cpuCallMillis() / Math.max(1, ms)), 1 / 1.5));
        }
    }

    void idleMemory() throws Exception {
        // Both children, each after its last call: the figure varies from child to child by several MiB.
        long a = (Long) await(executor.run((RemoteTask<Long>) context -> ProcessHandle.current().pid(), LANE_A));
        long b = (Long) await(executor.run((RemoteTask<Long>) context -> ProcessHandle.current().pid(), LANE_B));
        Thread.sleep(3000); // idle: past the child's idle collection (after 1 to 2 s without calls)
        Samples child = Samples.of(Processes.residentMiB(a), Processes.residentMiB(b));
        Process naive = naiveFelix(true);
        Processes.awaitLine(naive, "RESULT");
        Thread.sleep(3000);
        double naiveRss = Processes.residentMiB(naive.pid());
        naive.getOutputStream().close();
        naive.waitFor();
        report.add(new Figure("idle child resident memory", "MiB", child, 90,
                "naive embedded Felix, idle after its first call", naiveRss, false, "≤ 64 MiB"));
    }

    void bigPayload() throws Exception {
        int size = settings.payloadMiB() * 1024 * 1024;
        byte[] data = new byte[size];
        new Random(42).nextBytes(data);
        Samples trampoline = new Samples();
        Samples pipe = new Samples();
        for (int r = 0; r < settings.payloadRuns(); r++) {
            long t0 = System.nanoTime();
            byte[] back = (byte[]) await(executor.run((RemoteTask<byte[]>) context -> data, LANE_A));
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (back.length != size) {
                throw new IllegalStateException("the payload came back with " + back.length + " bytes");
            }
            trampoline.add(2.0 * size / 1e6 / seconds);
            pipe.add(rawPipe(data));
        }
        report.add(new Figure(settings.payloadMiB() + " MiB byte[] argument and result round trip", "MB/s", trampoline,
                90, "raw pipe copy of the same bytes through cat", pipe.median(), true, "≥ 300 MB/s"));
    }

    /** The same bytes through a pipe to {@code cat} and back: what the channel could do with no work at all. */
    private static double rawPipe(byte[] data) throws Exception {
        Process cat = new ProcessBuilder("cat").start();
        long t0 = System.nanoTime();
        Thread writer = new Thread(() -> {
            try (OutputStream out = cat.getOutputStream()) {
                out.write(data);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        writer.start();
        long read = 0;
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = cat.getInputStream()) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                read += n;
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        writer.join();
        cat.waitFor();
        return (read + data.length) / 1e6 / seconds;
    }

}
