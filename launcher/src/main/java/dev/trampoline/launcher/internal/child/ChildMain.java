package dev.trampoline.launcher.internal.child;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Hashtable;

import org.osgi.framework.BundleContext;
import org.osgi.framework.launch.Framework;

import dev.trampoline.launcher.internal.Storage;
import dev.trampoline.runtime.contract.internal.ChildArguments;
import dev.trampoline.runtime.contract.internal.ChildProperties;

/**
 * The trampoline: the entry point of a child JVM. It boots its own framework in a private folder with the
 * bundles of the parent's snapshot (see {@link ChildBoot}), and only then hands its stdin/stdout to the
 * remote-execution bundle, which reads and answers calls. Nothing else may write to stdout: plugin output goes
 * to stderr.
 * <p>
 * Started with {@code --spare}, it first waits for its arguments on its channel, having prepared ahead what it
 * could (see {@link SpareChild}). Started with {@code --remote}, on a host that shares no file with its parent, it
 * first takes its snapshot, configurations and missing bundles from its channel (see {@link RemoteBoot}).
 * <p>
 * Exit codes: 0 after the channel closed and the framework stopped; 3 if the snapshot cannot be installed.
 */
public final class ChildMain {

    static final int BOOT_FAILED = 3;

    private ChildMain() {
    }

    public static void main(String[] args) {
        // The channel is the real stdout; System.out is pointed at stderr before any plugin code runs.
        OutputStream channelOut = new FileOutputStream(FileDescriptor.out);
        InputStream channelIn = new FileInputStream(FileDescriptor.in);
        PrintStream stderr = new PrintStream(new FileOutputStream(FileDescriptor.err), true);
        System.setOut(stderr);
        System.setIn(InputStream.nullInputStream());
        Path storage = null;
        try {
            BootWarmUp.start();
            SpareChild spare = null;
            if (ChildArguments.Spare.isSpare(args)) {
                spare = SpareChild.start(args);
                args = spare.awaitArguments(channelIn);
                if (args == null) {
                    System.exit(0); // never needed; what it prepared is discarded
                }
            }
            ChildArguments arguments = ChildArguments.Remote.isRemote(args)
                    ? RemoteBoot.receive(ChildArguments.Remote.parse(args), channelIn, channelOut)
                    : ChildArguments.parse(args);
            storage = arguments.storage();
            ParentWatchdog watchdog = ParentWatchdog.start(stderr, storage, arguments.parentPid());
            Path snapshotFile = arguments.snapshot();
            ChildBoot.Prepared ahead = spare == null ? null : spare.preparedFor(snapshotFile, storage);
            boolean runtimeOnly = arguments.runtimeOnly();
            ChildBoot.Boot boot = ahead != null ? ChildBoot.start(ahead, watchdog, true, runtimeOnly)
                    : ChildBoot.boot(snapshotFile, storage, watchdog, runtimeOnly);
            Framework framework = boot.framework();
            watchdog.booted(framework);
            BundleContext context = framework.getBundleContext();
            ComponentMetadataCache componentMetadata = null;
            if (boot.fromPrepared()) {
                componentMetadata = new ComponentMetadataCache();
                componentMetadata.watch(context);
            }
            // The agent in the remote-execution bundle wakes up when these appear.
            context.registerService(InputStream.class, channelIn, props(ChildProperties.CHANNEL_IN));
            context.registerService(OutputStream.class, channelOut, props(ChildProperties.CHANNEL_OUT));
            framework.waitForStop(0);
            watchdog.leaving();
            if (componentMetadata != null) {
                componentMetadata.keep(boot.cache(), boot.prepared());
            }
            // The parent deletes this folder too, unless it died: then only the child is left to do it.
            Storage.deleteTree(storage);
            System.exit(0);
        } catch (Exception e) {
            // The cause too: Felix says only "Could not create bundle object." and keeps why in it.
            stderr.println("trampoline child: cannot start: " + e.getMessage()
                    + (e.getCause() == null ? "" : " (" + e.getCause() + ")"));
            if (storage != null) {
                Storage.deleteTree(storage);
            }
            System.exit(BOOT_FAILED);
        }
    }

    private static Hashtable<String, Object> props(String channel) {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put(ChildProperties.CHANNEL, channel);
        return p;
    }
}
