package dev.trampoline.bench;

/** How much of each benchmark to run: the full suite, or a tiny setting that proves the suite still runs. */
record Settings(String mode, int freshRuns, int warmCalls, int warmUpCalls, int throughputCalls, int repeats, int dropRuns,
        int fileInstallRuns, int payloadMiB, int payloadRuns, long cpuCallMillis, int jmhForks, int jmhIterations,
        int jmhIterationMillis, int archiveWaitSeconds, int bulkInputs) {

    static final Settings FULL = new Settings("full run", 8, 3000, 30_000, 20_000, 3, 10, 5, 64, 5, 300, 1, 5, 1000, 30,
            1_000_000);
    static final Settings QUICK = new Settings("quick smoke run: figures not meaningful", 1, 50, 50, 200, 1, 1, 1, 2, 1, 30,
            0, 1, 100, 0, 10_000); // JMH in this JVM: a test's class path is not one a fork can be started with

    /** Whether progress output (JMH's) is kept out of the console unless something fails: the smoke run's. */
    boolean quiet() {
        return mode.startsWith("quick");
    }
}
