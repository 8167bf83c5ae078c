package dev.trampoline.runtime.remote.internal.process;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
import dev.trampoline.runtime.remote.internal.wire.ReadLimit;
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
    private final ChildLogRelay relay;
    private volatile ChildProcess training;
    private volatile boolean failed;
    private volatile Supplier<List<Payload>> warmUpCalls = List::of;

    /** A trainer for children started as {@code launch} says. */
    public ArchiveTrainer(ChildLaunch launch, Logger log, ChildLogRelay relay) {
        this.launch = launch;
        this.relay = relay;
        this.log = log;
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

    /** Starts the training child; returns it, or null if none was started. */
    public ChildProcess start(String snapshotHash, Path snapshotFile) {
        Path dump = launch.jvm().dumpTarget(System.nanoTime());
        if (dump == null) {
            return null;
        }
        try {
            ChildCommand command = new ChildCommand(launch.java(), launch.classPath(), launch.mainClass(),
                    launch.jvm().forChild(List.of(), dump), Map.of(), snapshotFile,
                    ChildFolders.create(), true);
            // Not single-use: that would exit after the first warm-up answer, before the next call is sent.
            ChildProcess trainee = ChildProcess.start(launch.starter(), command, null, snapshotHash, "training", false, IGNORE,
                    ReadLimit.standard(), log, relay);
            trainee.markTraining();
            training = trainee;
            trainee.onExit(clean -> {
                launch.jvm().adopt(dump, clean);
                failed = !clean;
                training = null;
            });
            trainee.whenReady(() -> warmUpThenRetire(trainee));
            return trainee;
        } catch (IOException e) {
            log.debug("No class-data-sharing archive for children: {}", e.getMessage());
            return null;
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
        long id = 0;
        for (Payload payload : calls) { // answered to IGNORE
            trainee.send(new PendingCall(--id, null, null, null), payload);
        }
        trainee.retire(); // exits once every warm-up call is answered
    }
}
