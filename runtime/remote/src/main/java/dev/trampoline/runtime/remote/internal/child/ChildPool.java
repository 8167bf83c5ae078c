package dev.trampoline.runtime.remote.internal.child;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.log.Logger;

import dev.trampoline.runtime.remote.internal.wire.Frame;

import dev.trampoline.runtime.remote.CallOptions;

/**
 * The children of this runtime. A reusable child serves every call with the same snapshot, JVM options and
 * environment; a call may ask for a fresh child of its own instead. When the snapshot changes, children of
 * the old one take no new calls and exit once their calls in flight are answered.
 */
public final class ChildPool {

    /** Where children come from: the java binary, the class path, the child main, and their JVM options. */
    public record Launch(Path java, String classPath, String mainClass, ChildJvmOptions jvm) {

        public Launch(Path java, String classPath, String mainClass, Path archiveDir, boolean cds) {
            this(java, classPath, mainClass, new ChildJvmOptions(archiveDir, classPath, cds));
        }
    }

    private final Launch launch;
    private final ChildProcess.Listener listener;
    private final Logger log;
    private final List<ChildProcess> children = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    private volatile ChildProcess training;

    public ChildPool(Launch launch, ChildProcess.Listener listener, Logger log) {
        this.launch = launch;
        this.listener = listener;
        this.log = log;
    }

    /** A child for a call with {@code options} on the snapshot {@code snapshotHash}, started if needed. */
    synchronized ChildProcess acquire(String snapshotHash, Path snapshotFile, CallOptions options) throws IOException {
        if (closed) {
            throw new IllegalStateException("The remote executor is stopping");
        }
        String key = snapshotHash + "|" + options.jvmOptions() + "|" + options.environment();
        for (ChildProcess c : children) {
            if (!c.snapshotHash().equals(snapshotHash) && c.accepts()) {
                log.debug("Retiring {}: the bundle set changed", c);
                c.retire();
            }
        }
        if (!options.fresh()) {
            for (ChildProcess c : children) {
                if (c.key().equals(key) && !c.singleUse() && c.accepts()) {
                    return c;
                }
            }
        }
        if (launch.jvm().wantsArchive() && training == null) {
            train(snapshotHash, snapshotFile);
        }
        ChildCommand command = new ChildCommand(launch.java(), launch.classPath(), launch.mainClass(),
                launch.jvm().forChild(options.jvmOptions(), null), options.environment(), snapshotFile,
                Files.createTempDirectory("trampoline-child-"));
        ChildProcess child = ChildProcess.start(command, snapshotHash, key, options.fresh(), listener, log);
        children.add(child);
        log.debug("Started {}", child);
        return child;
    }

    /**
     * Starts a child that only boots, then exits cleanly, writing the class-data-sharing archive later children
     * start from. It takes no calls.
     */
    private void train(String snapshotHash, Path snapshotFile) {
        Path dump = launch.jvm().dumpTarget(System.nanoTime());
        if (dump == null) {
            return;
        }
        try {
            ChildCommand command = new ChildCommand(launch.java(), launch.classPath(), launch.mainClass(),
                    launch.jvm().forChild(List.of(), dump), java.util.Map.of(), snapshotFile,
                    Files.createTempDirectory("trampoline-child-"));
            ChildProcess trainee = ChildProcess.start(command, snapshotHash, "training", true, IGNORE, log);
            training = trainee;
            trainee.onExit(clean -> {
                launch.jvm().adopt(dump, clean);
                training = null;
            });
            trainee.whenReady(trainee::retire);
        } catch (IOException e) {
            log.debug("No class-data-sharing archive for children: {}", e.getMessage());
        }
    }

    private static final ChildProcess.Listener IGNORE = new ChildProcess.Listener() {
        @Override
        public void answered(ChildProcess child, PendingCall call, Frame frame) {
        }

        @Override
        public void died(ChildProcess child, List<PendingCall> orphans, dev.trampoline.runtime.remote.ChildFailedException cause) {
        }
    };

    void forget(ChildProcess child) {
        children.remove(child);
    }

    public List<ChildProcess> children() {
        return new ArrayList<>(children);
    }

    /** Kills the child with {@code pid}; its calls fail. Returns false if no such child. */
    public boolean kill(long pid) {
        for (ChildProcess c : children) {
            if (c.pid() == pid) {
                c.kill();
                return true;
            }
        }
        return false;
    }

    /**
     * Ends every child: idle ones exit cleanly, busy ones are killed; waits a bounded time for them to be gone,
     * so that a runtime that stops leaves no child behind it.
     */
    public void close() {
        closed = true;
        List<ChildProcess> all = children();
        ChildProcess trainee = training;
        if (trainee != null) {
            all.add(trainee); // let it finish its archive, within the same bounded wait
        }
        for (ChildProcess c : all) {
            if (c == trainee) {
                continue;
            }
            if (c.callsInFlight() == 0) {
                c.retire();
            } else {
                c.kill();
            }
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        for (ChildProcess c : all) {
            try {
                if (!c.awaitExit(Math.max(1, (deadline - System.nanoTime()) / 1_000_000))) {
                    c.kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                c.kill();
            }
        }
    }
}
