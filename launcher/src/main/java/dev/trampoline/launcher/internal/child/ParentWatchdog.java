package dev.trampoline.launcher.internal.child;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

import org.osgi.framework.BundleException;
import org.osgi.framework.launch.Framework;

import dev.trampoline.launcher.internal.Storage;

/**
 * A child's second line against orphans. The channel closing is how a child normally learns its parent is
 * gone; if the parent process itself is gone, whatever state the child is in (still booting, an agent that
 * could not start, a plugin that holds the framework), the child leaves and its folder goes with it.
 * <p>
 * A booted child's framework is stopped, the folder deleted, and the JVM halted from here. A child still
 * booting writes into its folder as it installs and starts bundles, so deleting from here would race with it:
 * the boot asks {@link #stopIfParentGone()} before each step and, once told, stops, deletes the folder and
 * exits itself. Only if it does not within {@value #BOOT_LEAVE_MILLIS} ms (a plugin's activator holding it) is
 * the folder swept from here and the JVM halted.
 * <p>
 * A class rather than a lambda: it starts on a booting child's main thread, where the first lambda costs a
 * few milliseconds of linking.
 */
final class ParentWatchdog implements Runnable {

    static final long BOOT_LEAVE_MILLIS = 3_000;
    private static final long BOOTING_POLL_MILLIS = 250;
    /** Each look costs an idle child about 0.7 ms of CPU: four a second were a third of its idle load. */
    private static final long BOOTED_POLL_MILLIS = 1_000;

    private final PrintStream stderr;
    private final Path storage;
    private final String parentPid;
    /** The child's framework once booted: stopped before the folder is deleted. */
    private volatile Framework framework;
    /** Set when the main thread is leaving normally: it then finishes its own clean-up. */
    private volatile boolean leaving;
    private volatile boolean parentGone;

    private ParentWatchdog(PrintStream stderr, Path storage, String parentPid) {
        this.stderr = stderr;
        this.storage = storage;
        this.parentPid = parentPid;
    }

    /** Starts watching the parent; {@code parentPid} is the pid the parent gave, or null. */
    static ParentWatchdog start(PrintStream stderr, Path storage, String parentPid) {
        ParentWatchdog watchdog = new ParentWatchdog(stderr, storage, parentPid);
        Thread thread = new Thread(watchdog, "trampoline-parent-watchdog");
        thread.setDaemon(true);
        thread.start();
        return watchdog;
    }

    void booted(Framework booted) {
        framework = booted;
    }

    void leaving() {
        leaving = true;
    }

    /** For the booting main thread, before each step that writes into the folder: throws once the parent is gone. */
    void stopIfParentGone() throws IOException {
        if (parentGone) {
            throw new IOException("the parent process is gone");
        }
    }

    @Override
    public void run() {
        try {
            // Looked up here, not before the boot: the process API's first use costs the main thread ~5 ms.
            ProcessHandle parent = ProcessHandle.current().parent().orElse(null);
            if (parent != null && parentPid != null && !parentPid.equals(Long.toString(parent.pid()))) {
                parent = null; // the parent that started us is gone already: we were handed to a reaper
            }
            while (parent != null && parent.isAlive()) {
                // Often while the child boots (it must leave before it writes more into its folder); then the
                // channel's end tells a serving child first, and this only covers one that cannot read it.
                Thread.sleep(framework == null ? BOOTING_POLL_MILLIS : BOOTED_POLL_MILLIS);
            }
            if (leaving) {
                return; // the main thread is already cleaning up and exiting
            }
            stderr.println("trampoline child: the parent process is gone; exiting");
            parentGone = true;
            if (framework == null) {
                Thread.sleep(BOOT_LEAVE_MILLIS); // the booting main thread leaves at its next step, and the JVM with it
            }
            Framework f = framework;
            if (f != null) { // stopped first: it writes to its folder until then
                try {
                    f.stop();
                    f.waitForStop(2_000);
                } catch (BundleException | RuntimeException e) {
                    // halting anyway
                }
            }
            Storage.deleteTree(storage); // nobody else will
            Thread.sleep(100); // a child still booting may write once more: sweep again before halting
            Storage.deleteTree(storage);
            Runtime.getRuntime().halt(0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
