package dev.trampoline.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Statistics;

/** Runs {@link SerializationBenchmark} with JMH and reports each payload against plain Java serialization. */
final class SerializationFigures {

    private final Settings settings;
    private final Report report;

    SerializationFigures(Settings settings, Report report) {
        this.settings = settings;
        this.report = report;
    }

    void run() throws Exception {
        ChainedOptionsBuilder builder = new OptionsBuilder().include(SerializationBenchmark.class.getName() + "\\.")
                .forks(settings.jmhForks()).warmupIterations(settings.jmhIterations())
                .measurementIterations(settings.jmhIterations())
                .warmupTime(TimeValue.milliseconds(settings.jmhIterationMillis()))
                .measurementTime(TimeValue.milliseconds(settings.jmhIterationMillis()))
                .shouldFailOnError(true);
        Collection<RunResult> results;
        if (!settings.quiet()) {
            results = new Runner(builder.build()).run(); // a full run shows JMH's progress
        } else {
            // A smoke run (the build's test) keeps JMH's few hundred lines of progress out of the build's output,
            // and shows them only when JMH fails.
            Path log = Files.createTempFile("trampoline-jmh-", ".log");
            try {
                results = new Runner(builder.output(log.toString()).build()).run();
            } catch (RunnerException | RuntimeException e) {
                throw new IllegalStateException("JMH failed; its output:" + System.lineSeparator()
                        + Files.readString(log), e);
            } finally {
                Files.deleteIfExists(log);
            }
        }
        for (String payload : new String[] {"call", "listCall", "64KiB"}) {
            String what = switch (payload) {
                case "call" -> "a small call (greet(\"bench\"))";
                case "listCall" -> "a small call with a list argument (greet([\"bench\"]))";
                default -> "a 64 KiB byte[]";
            };
            String note = switch (payload) {
                case "call" -> "- (plain arguments: the compact form, no Java serialization)";
                case "listCall" -> "- (Java serialization: the cost of bundle origins and the filter)";
                default -> "- (the array travels beside the stream as a blob: write copies it once, read hands it"
                        + " over; on the channel it is read straight into its final array)";
            };
            add("serialization of " + what + ", write + read (JMH)", results, payload, "trampolineWriteAndRead",
                    "plainWriteAndRead", note);
            add("deserialization of " + what + ", read only (JMH)", results, payload, "trampolineRead", "plainRead",
                    note);
        }
    }

    private void add(String name, Collection<RunResult> results, String payload, String ours, String plain,
            String note) {
        Statistics mine = statistics(results, payload, ours);
        Statistics base = statistics(results, payload, plain);
        report.add(new Figure(name, "µs", samples(mine), 99,
                "plain Java serialization of the same object, one class loader, no filter",
                base.getPercentile(50), false, note));
    }

    private static Statistics statistics(Collection<RunResult> results, String payload, String method) {
        for (RunResult r : results) {
            if (r.getParams().getBenchmark().endsWith("." + method) && payload.equals(r.getParams().getParam("payload"))) {
                return r.getPrimaryResult().getStatistics();
            }
        }
        throw new IllegalStateException("JMH did not run " + method + " for " + payload);
    }

    /** JMH's sampled times, one entry per sample (it keeps a histogram of value to count). */
    private static Samples samples(Statistics s) {
        Samples samples = new Samples();
        for (Iterator<Map.Entry<Double, Long>> it = s.getRawData(); it.hasNext();) {
            Map.Entry<Double, Long> e = it.next();
            for (long i = 0; i < e.getValue(); i++) {
                samples.add(e.getKey());
            }
        }
        return samples;
    }
}
