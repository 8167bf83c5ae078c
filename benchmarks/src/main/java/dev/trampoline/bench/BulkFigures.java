package dev.trampoline.bench;

import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.osgi.framework.ServiceReference;

import dev.trampoline.launcher.TrampolineRuntime;
import dev.trampoline.runtime.remote.BulkOptions;
import dev.trampoline.runtime.remote.Outcome;
import dev.trampoline.runtime.remote.RemoteExecutor;
import dev.trampoline.runtime.remote.RemoteMapper;

/**
 * A bulk call of a trivial function ({@code x -> x + 1}) over many integers on 2 children, against Python's
 * {@code multiprocessing.Pool.map} with 2 spawn workers at its best chunk size, measured in the same run. Both
 * sides' workers are started and warm before anything is timed; both take a list in memory and return a list, and
 * every result is read in the timed part.
 */
final class BulkFigures {

    private static final RemoteMapper<Object, Integer, Integer> PLUS_ONE = (service, x) -> x + 1;

    private final RemoteExecutor executor;
    private final ServiceReference<Object> service;
    private final Workspace workspace;
    private final Settings settings;
    private final Report report;

    @SuppressWarnings("unchecked")
    BulkFigures(TrampolineRuntime runtime, Workspace workspace, Settings settings, Report report) throws Exception {
        this.executor = runtime.service(RemoteExecutor.class, Duration.ofSeconds(30));
        this.service = (ServiceReference<Object>) ChildFigures.reference(runtime,
                "dev.trampoline.examples.greeter.Greeter");
        this.workspace = workspace;
        this.settings = settings;
        this.report = report;
    }

    void run() throws Exception {
        int n = settings.bulkInputs();
        List<String> skipped = new ArrayList<>();
        PythonBaseline.BulkResult python = PythonBaseline.bulk(workspace, n, settings.repeats(), skipped);
        skipped.forEach(report::note);
        List<Integer> inputs = IntStream.range(0, n).boxed().toList();
        BulkOptions two = BulkOptions.DEFAULT.withParallelism(2);
        for (int i = 0; i < 20; i++) { // both children started, the call path compiled on both sides
            map(inputs, two);
        }
        Samples rates = new Samples();
        Samples parentCpu = new Samples();
        Samples childrenCpu = new Samples();
        for (int r = 0; r < Math.max(5, settings.repeats()); r++) {
            long c0 = ProcessHandle.current().descendants().mapToLong(BulkFigures::cpuMillis).sum();
            long p0 = cpuMillis(ProcessHandle.current());
            long t0 = System.nanoTime();
            map(inputs, two);
            rates.add(n / ((System.nanoTime() - t0) / 1e9));
            parentCpu.add(cpuMillis(ProcessHandle.current()) - p0);
            childrenCpu.add(ProcessHandle.current().descendants().mapToLong(BulkFigures::cpuMillis).sum() - c0);
        }
        report.add(new Figure("bulk call of x -> x + 1 on " + Report.format(n) + " integers, 2 children", "inputs/s",
                rates, 90, python == null ? null : "Python Pool.map, 2 spawn workers, best chunk size",
                python == null ? Double.NaN : python.bestPerSecond(), true, "≥ 2× Python's Pool.map"));
        if (python != null) {
            report.note("Bulk call baseline (" + python.version() + "): multiprocessing.Pool.map with 2 spawn workers,"
                    + " best chunk size " + Report.format(python.bestChunk()) + " of those tried (median inputs/s per"
                    + " size: " + python.allSizes() + "); Trampoline's chunk size is its default: ceil(n / (4 × 2)),"
                    + " at most 20,000. CPU per bulk call (medians; the OS counts it in ticks of about 10 ms): this JVM "
                    + Report.format(parentCpu.median()) + " ms, its children " + Report.format(childrenCpu.median())
                    + " ms.");
        }
    }

    /** CPU time {@code p} has used so far, in ms (0 where the OS does not say). */
    private static long cpuMillis(ProcessHandle p) {
        return p.info().totalCpuDuration().map(java.time.Duration::toMillis).orElse(0L);
    }

    private void map(List<Integer> inputs, BulkOptions options) throws Exception {
        List<Outcome<Integer>> outcomes;
        try {
            outcomes = executor.map(service, PLUS_ONE, inputs, options).getValue();
        } catch (InvocationTargetException e) {
            throw (Exception) e.getCause();
        }
        // Every result is read, as a caller of map would: values are read from the answers as they are asked for.
        long sum = 0;
        for (Outcome<Integer> outcome : outcomes) {
            sum += outcome.orElseThrow();
        }
        long n = inputs.size();
        if (outcomes.size() != n || sum != n * (n + 1) / 2) {
            throw new IllegalStateException("the bulk call returned " + outcomes.size() + " outcomes summing to "
                    + sum);
        }
    }
}
