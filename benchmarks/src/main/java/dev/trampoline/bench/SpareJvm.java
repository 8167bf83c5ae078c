package dev.trampoline.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

import dev.trampoline.runtime.contract.internal.ChildArguments;

/**
 * The spare JVM a runtime keeps for its next new child, seen from outside: a child process of the runtime's
 * JVM whose arguments carry the spare's flag. Measurements wait for its warm-up to end, or its start would weigh
 * on whatever is measured next (a baseline included).
 */
final class SpareJvm {

    private SpareJvm() {
    }

    /** The spare JVM of the runtime running in {@code runtime}'s process, if one is started. */
    static Optional<ProcessHandle> of(ProcessHandle runtime) {
        return runtime.children()
                .filter(p -> Arrays.asList(p.info().arguments().orElse(new String[0])).contains(ChildArguments.Spare.FLAG))
                .findFirst();
    }

    /**
     * Waits until the spare JVM of {@code runtime}, if one is started (a quarter second after a child with the
     * default options is ready), has stopped using the CPU: its warm-up is over. At most 10 s.
     */
    static void awaitSettled(ProcessHandle runtime) throws InterruptedException {
        Thread.sleep(400);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Duration last = Duration.ofMillis(-1);
        while (System.nanoTime() < deadline) {
            Optional<ProcessHandle> spare = of(runtime);
            if (spare.isEmpty()) {
                return;
            }
            Duration cpu = spare.get().info().totalCpuDuration().orElse(Duration.ZERO);
            if (cpu.minus(last).toMillis() < 2) {
                return;
            }
            last = cpu;
            Thread.sleep(100);
        }
    }
}
