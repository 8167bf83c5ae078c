package dev.trampoline.runtime.remote.internal.shell;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** How much memory a process holds, as Linux reports it. */
final class ProcessMemory {

    private ProcessMemory() {
    }

    /** Resident memory of {@code pid} in KiB from {@code /proc}, or -1 where that is not available. */
    static long residentKiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process is gone
        }
        return -1;
    }
}
