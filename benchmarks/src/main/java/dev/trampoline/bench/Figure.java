package dev.trampoline.bench;

/**
 * One row of the report: a measured quantity, its spread, and the baseline measured in the same run.
 *
 * @param name what was measured
 * @param unit its unit
 * @param samples the measurements
 * @param spread which upper percentile to show: 90 or 99
 * @param baselineName what it is compared with ({@code null}: nothing)
 * @param baselineMedian the baseline's median, in the same unit
 * @param higherIsBetter whether a larger value is better (throughput) or worse (time, memory)
 * @param target the target, as text
 */
record Figure(String name, String unit, Samples samples, int spread, String baselineName, double baselineMedian,
        boolean higherIsBetter, String target) {

    /** How many times better than the baseline (above 1: better), or NaN without a baseline. */
    double ratio() {
        if (baselineName == null || Double.isNaN(baselineMedian) || baselineMedian == 0) {
            return Double.NaN;
        }
        double m = samples.median();
        return higherIsBetter ? m / baselineMedian : baselineMedian / m;
    }
}
