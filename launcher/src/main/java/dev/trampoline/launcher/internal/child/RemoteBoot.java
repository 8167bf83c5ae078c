package dev.trampoline.launcher.internal.child;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import dev.trampoline.launcher.internal.Storage;
import dev.trampoline.runtime.contract.internal.ChannelBoot;
import dev.trampoline.runtime.contract.internal.ChildArguments;
import dev.trampoline.runtime.contract.internal.ChildProperties;
import dev.trampoline.runtime.contract.internal.SnapshotFile;
import dev.trampoline.runtime.contract.internal.StoreLayout;

/**
 * The start of a child on another host, which shares no file with its parent: it takes its snapshot and
 * configurations from the channel, fetches the bundle contents its host's store lacks (see {@link ChannelBoot}),
 * and writes them where a local child would find them on its parent's disk. The child then boots as any child.
 * <p>
 * Its host's work folder holds {@value #STORE} (the host's content store and prepared caches, shared by the
 * children of every parent that uses this folder) and {@value #CHILDREN} (one private folder per child, with the
 * child's pid in {@value #PID_FILE}).
 */
final class RemoteBoot {

    static final String STORE = "store";
    static final String CHILDREN = "children";
    /** The file in a child's folder that holds its pid (the parent's first contact with the host reads it). */
    static final String PID_FILE = "pid";
    /** The child's snapshot, in its own folder. */
    static final String SNAPSHOT_FILE = "snapshot.properties";

    private RemoteBoot() {
    }

    /**
     * Receives what the child needs, and returns the arguments it then boots with as a local child would. A parent
     * that falls silent meanwhile (a partition: nothing closes the channel) ends the child after the heartbeat
     * timeout its command gave it, as its agent would once it serves.
     */
    static ChildArguments receive(ChildArguments.Remote remote, InputStream channelIn, OutputStream channelOut)
            throws IOException {
        Path work = remote.work().toAbsolutePath();
        Path store = work.resolve(STORE);
        Files.createDirectories(store);
        // Private to this child (createTempDirectory makes it 0700): its configurations may hold secrets.
        Path storage = Files.createTempDirectory(Files.createDirectories(work.resolve(CHILDREN)), "child");
        SilenceWatch watch = SilenceWatch.start(storage);
        try {
            // For the next parent to contact this host: a folder whose pid names no live process is a leftover.
            Files.writeString(storage.resolve(PID_FILE), Long.toString(ProcessHandle.current().pid()));
            InputStream in = watch.counting(channelIn);
            ChannelBoot.Description description = ChannelBoot.readDescription(in);
            Properties p = new Properties();
            p.load(new ByteArrayInputStream(description.snapshot()));
            SnapshotFile sent = SnapshotFile.of(p);
            SnapshotFile here = new SnapshotFile(sent.hash(), store, sent.frameworkProperties(), sent.bundles());
            for (SnapshotFile.Entry e : here.bundles()) {
                keep(here.jar(e));
            }
            ChannelBoot.fetchMissing(here, store, in, channelOut);
            // In the child's own folder, not the host's store: its framework properties may hold secrets too.
            Path snapshotFile = storage.resolve(SNAPSHOT_FILE);
            here.write(snapshotFile);
            if (description.configurations().length > 0) {
                Files.write(StoreLayout.childConfigurations(storage), description.configurations());
            }
            return new ChildArguments(snapshotFile, storage, null, false);
        } catch (IOException | RuntimeException e) {
            Storage.deleteTree(storage);
            throw e;
        } finally {
            watch.done();
        }
    }

    /**
     * Marks a stored bundle as used now, so that a first contact's sweep of content unused for long leaves it;
     * a copy that is not there is fetched.
     */
    private static void keep(Path jar) {
        try {
            Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis()));
        } catch (IOException | RuntimeException e) {
            // not there (fetched next) or swept meanwhile
        }
    }

    /**
     * Ends the child if its parent sends nothing for the heartbeat timeout (the system property its command set)
     * before the boot exchange is over: a thread of its own that looks every half timeout. None without the
     * property (a local child, which watches its parent's pid).
     */
    private static final class SilenceWatch implements Runnable {

        private final Path storage;
        private final long timeoutNanos;
        private volatile long lastRead = System.nanoTime();
        private volatile boolean done;

        private SilenceWatch(Path storage, long timeoutMillis) {
            this.storage = storage;
            this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        }

        static SilenceWatch start(Path storage) {
            long timeout = Long.getLong(ChildProperties.HEARTBEAT_TIMEOUT, 0L);
            SilenceWatch watch = new SilenceWatch(storage, timeout);
            if (timeout > 0) {
                Thread t = new Thread(watch, "trampoline-boot-silence");
                t.setDaemon(true);
                t.start();
            }
            return watch;
        }

        /** {@code in}, each read counted as a sign of the parent; it reads no byte more than asked. */
        InputStream counting(InputStream in) {
            return new FilterInputStream(in) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    lastRead = System.nanoTime();
                    return b;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int n = super.read(buffer, offset, length);
                    lastRead = System.nanoTime();
                    return n;
                }
            };
        }

        void done() {
            done = true;
        }

        @Override
        public void run() {
            try {
                while (!done) {
                    Thread.sleep(Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos / 2)));
                    long silent = System.nanoTime() - lastRead;
                    if (!done && silent > timeoutNanos) {
                        System.err.println("trampoline child: nothing from the parent for "
                                + TimeUnit.NANOSECONDS.toMillis(silent) + " ms while it was being started; exiting");
                        Storage.deleteTree(storage);
                        Runtime.getRuntime().halt(ChildMain.BOOT_FAILED);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
