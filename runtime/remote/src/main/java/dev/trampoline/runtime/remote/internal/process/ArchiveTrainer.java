package dev.trampoline.runtime.remote.internal.process;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

import org.osgi.framework.Bundle;
import org.osgi.service.log.Logger;

import dev.trampoline.runtime.remote.ChildFailedException;
import dev.trampoline.runtime.remote.RemoteExecutor;
import dev.trampoline.runtime.remote.RemoteTask;
import dev.trampoline.runtime.remote.internal.call.PendingCall;
import dev.trampoline.runtime.remote.internal.serial.Serialization;
import dev.trampoline.runtime.remote.internal.wire.CallRequest;
import dev.trampoline.runtime.remote.internal.wire.Frame;
import dev.trampoline.runtime.remote.internal.wire.MethodCall;
import dev.trampoline.runtime.remote.internal.wire.Payload;
import dev.trampoline.runtime.remote.internal.wire.ServiceSelector;

/**
 * A pool's training child: it boots, runs the warm-up calls, takes no other call and exits cleanly, writing the
 * class-data-sharing archive later children start from. One at a time, and one try per pool: a training child
 * that fails would fail again.
 */
public final class ArchiveTrainer {

    private static final ChildProcess.Listener IGNORE = new ChildProcess.Listener() {
        @Override
        public void answered(ChildProcess child, PendingCall call, Frame frame) {
        }

        @Override
        public void died(ChildProcess child, List<PendingCall> orphans, ChildFailedException cause) {
        }
    };

    private final ChildLaunch launch;
    private final Logger log;
    /** The pool's: its loop owns the training child's state as any child's; its workers start the JVM. */
    private final ChildProcess.Context context;
    private volatile ChildProcess training;
    private volatile boolean failed;
    private volatile Supplier<List<Payload>> warmUpCalls = List::of;

    /** A trainer for children started as {@code launch} says, owned as {@code context} says. */
    public ArchiveTrainer(ChildLaunch launch, ChildProcess.Context context) {
        this.launch = launch;
        this.context = context.reportingTo(IGNORE);
        this.log = context.log();
    }

    /** Whether a training child should start now: an archive is wanted, none is being made, none failed. */
    public boolean wanted() {
        return launch.jvm().wantsArchive() && training == null && !failed;
    }

    /** Whether a training child is running now. */
    public boolean running() {
        return training != null;
    }

    /** The training child running now, or null. */
    public ChildProcess current() {
        return training;
    }

    /**
     * A method call on the remote executor service and a task: calls every child can answer, as every child has
     * the remote-execution bundle ({@code own}).
     */
    public static List<Payload> warmUpCalls(Serialization serialization, Bundle own) {
        ServiceSelector self = new ServiceSelector(new String[] {RemoteExecutor.class.getName()},
                own.getSymbolicName(), own.getVersion().toString(), null);
        return List.of(serialization.write(new CallRequest(self, new MethodCall("toString", null, new Object[0]),
                10_000)), serialization.write(new CallRequest(null, warmUpTask(), 10_000)));
    }

    private static RemoteTask<String> warmUpTask() {
        return context -> "warm";
    }

    /** Serialized calls that any child can answer, run by the training child before it writes the archive. */
    public void warmUpCalls(Supplier<List<Payload>> calls) {
        this.warmUpCalls = calls;
    }

    /**
     * In the pool's loop: starts the training child, its JVM on a worker; returns it, or null if none was started.
     */
    public ChildProcess start(String snapshotHash, Path snapshotFile) {
        Path dump = launch.jvm().dumpTarget(System.nanoTime());
        if (dump == null) {
            return null;
        }
        // Not single-use: that would exit after the first warm-up answer, before the next call is sent.
        ChildProcess trainee = ChildProcess.prepare(snapshotHash, "training", ChildProcess.Role.TRAINING, context);
        training = trainee;
        trainee.onExit(clean -> {
            launch.jvm().adopt(dump, clean);
            failed = !clean;
            training = null;
        });
        trainee.whenReady(() -> warmUpThenRetire(trainee));
        try {
            context.workers().execute(() -> launch(trainee, snapshotFile, dump));
        } catch (RejectedExecutionException stopping) {
            trainee.launchFailed(new IOException("the remote executor is stopping"));
        }
        return trainee;
    }

    /** On a worker: starts the training child's JVM, which writes the archive to {@code dump} as it exits. */
    private void launch(ChildProcess trainee, Path snapshotFile, Path dump) {
        Path storage = null;
        try {
            storage = ChildFolders.create();
            trainee.launch(launch.starter(), new ChildCommand(launch.java(), launch.classPath(), launch.mainClass(),
                    launch.jvmOptions(List.of(), dump), Map.of(), snapshotFile, storage, true), null);
        } catch (IOException | RuntimeException e) {
            log.debug("No class-data-sharing archive for children: {}", e.getMessage());
            if (storage != null) {
                ChildCommand.deleteStorage(storage);
            }
            trainee.launchFailed(e);
        }
    }

    /**
     * The training child runs the warm-up calls before it exits and writes the archive, so that the classes a call
     * needs (deserialization, the call path, the JDK's own) are in the archive too, not loaded by every first call.
     */
    private void warmUpThenRetire(ChildProcess trainee) {
        List<Payload> calls = List.of();
        try {
            calls = warmUpCalls.get();
        } catch (RuntimeException e) {
            log.debug("No warm-up calls for the training child: {}", e.toString());
        }
        List<Payload> warmUp = calls;
        context.loop().execute(() -> {
            long id = 0;
            for (Payload payload : warmUp) { // answered to IGNORE
                trainee.post(new PendingCall(--id, null, null, null), payload);
            }
            trainee.flushLater();
            trainee.retire(); // exits once every warm-up call is answered
        });
    }
}
