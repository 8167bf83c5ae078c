package dev.trampoline.runtime.remote.internal.child;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.log.Logger;

import dev.trampoline.runtime.remote.CallOptions;

/**
 * The children of this runtime. A reusable child serves every call with the same snapshot, JVM options and
 * environment; a call may ask for a fresh child of its own instead. When the snapshot changes, children of
 * the old one take no new calls and exit once their calls in flight are answered.
 */
public final class ChildPool {

    /** Where children come from: the java binary, the class path and the child main. */
    public record Launch(Path java, String classPath, String mainClass) {
    }

    private final Launch launch;
    private final ChildProcess.Listener listener;
    private final Logger log;
    private final List<ChildProcess> children = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

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
        Path storage = Files.createTempDirectory("trampoline-child-");
        ChildCommand command = new ChildCommand(launch.java(), launch.classPath(), launch.mainClass(),
                options.jvmOptions(), options.environment(), snapshotFile, storage);
        ChildProcess child = ChildProcess.start(command, snapshotHash, key, options.fresh(), listener, log);
        children.add(child);
        log.debug("Started {}", child);
        return child;
    }

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

    /** Ends every child: idle ones exit cleanly, busy ones are killed. */
    public void close() {
        closed = true;
        for (ChildProcess c : children) {
            if (c.callsInFlight() == 0) {
                c.retire();
            } else {
                c.kill();
            }
        }
    }
}
