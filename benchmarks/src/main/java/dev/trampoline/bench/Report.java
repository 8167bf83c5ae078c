package dev.trampoline.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The figures as a console table and as Markdown, with the machine they were measured on. */
final class Report {

    private final List<Figure> figures = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    void add(Figure f) {
        figures.add(f);
        System.out.println(line(f));
    }

    void note(String note) {
        notes.add(note);
        System.out.println("note: " + note);
    }

    static String format(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        if (Math.abs(v) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (Math.abs(v) >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String line(Figure f) {
        return String.format(Locale.ROOT, "%-52s %12s %-8s p10 %10s p%d %10s n=%-5d %s", f.name(),
                format(f.samples().median()), f.unit(), format(f.samples().percentile(10)), f.spread(),
                format(f.samples().percentile(f.spread())), f.samples().n(),
                f.baselineName() == null ? "" : "vs " + f.baselineName() + " " + format(f.baselineMedian()) + " "
                        + f.unit() + " = " + format(f.ratio()) + "x");
    }

    static String machine() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        long memory = -1;
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            memory = sun.getTotalMemorySize() / (1024 * 1024 * 1024);
        }
        return Runtime.getRuntime().availableProcessors() + " cores, " + (memory < 0 ? "?" : memory + " GiB")
                + " memory, JDK " + System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version")
                + ", " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch");
    }

    void writeMarkdown(Path file, String mode) throws IOException {
        StringBuilder md = new StringBuilder("# Benchmarks\n\n");
        md.append("Measured ").append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
                .append(" on ").append(machine()).append(" (").append(mode).append(").\n\n");
        md.append("Regenerate with `bash benchmarks/run`. Medians of repeated runs; every baseline was measured ")
                .append("by the same harness in the same run. Ratio: how many times better than the baseline.\n\n");
        md.append("| figure | median | p10 | p90/p99 | n | baseline (same run) | ratio | target |\n");
        md.append("|---|---|---|---|---|---|---|---|\n");
        for (Figure f : figures) {
            md.append("| ").append(f.name()).append(" | ").append(format(f.samples().median())).append(' ').append(f.unit())
                    .append(" | ").append(format(f.samples().percentile(10)))
                    .append(" | p").append(f.spread()).append(' ').append(format(f.samples().percentile(f.spread())))
                    .append(" | ").append(f.samples().n())
                    .append(" | ").append(f.baselineName() == null ? "-"
                            : f.baselineName() + ": " + format(f.baselineMedian()) + ' ' + f.unit())
                    .append(" | ").append(Double.isNaN(f.ratio()) ? "-" : format(f.ratio()) + "x")
                    .append(" | ").append(f.target()).append(" |\n");
        }
        if (!notes.isEmpty()) {
            md.append("\nNotes:\n\n");
            for (String n : notes) {
                md.append("- ").append(n).append('\n');
            }
        }
        Files.writeString(file, md.toString());
    }
}
