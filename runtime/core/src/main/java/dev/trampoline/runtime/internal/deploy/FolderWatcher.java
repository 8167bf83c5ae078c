package dev.trampoline.runtime.internal.deploy;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Wakes the deployer when something happens in a deploy folder, or when someone else asks it to look
 * (a bundle was installed elsewhere, Configuration Admin arrived). It says only "look again", never
 * what changed: the scanner always compares the folders with its memory, so a lost or overflowed event
 * costs at most one periodic rescan, never a file.
 */
final class FolderWatcher implements Closeable {

    private final WatchService watchService;
    private final Semaphore wakeUps = new Semaphore(0);
    private final Thread pump;

    FolderWatcher(List<Path> folders, String threadName) throws IOException {
        watchService = FileSystems.getDefault().newWatchService();
        for (Path folder : folders) {
            folder.register(watchService, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY, OVERFLOW);
        }
        pump = new Thread(this::pumpEvents, threadName);
        pump.setDaemon(true);
        pump.start();
    }

    private void pumpEvents() {
        try {
            while (true) {
                WatchKey key = watchService.take();
                key.pollEvents();
                key.reset();
                wakeUp();
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed: the deployer is stopping
        }
    }

    void wakeUp() {
        if (wakeUps.availablePermits() == 0) {
            wakeUps.release();
        }
    }

    /** Waits until woken or until {@code timeoutMillis} pass; returns whether it was woken. */
    boolean await(long timeoutMillis) throws InterruptedException {
        boolean woken = wakeUps.tryAcquire(timeoutMillis, TimeUnit.MILLISECONDS);
        wakeUps.drainPermits();
        return woken;
    }

    @Override
    public void close() throws IOException {
        watchService.close();
        pump.interrupt();
    }
}
