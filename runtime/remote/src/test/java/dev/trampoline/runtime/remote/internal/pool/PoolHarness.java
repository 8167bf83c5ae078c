package dev.trampoline.runtime.remote.internal.pool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.service.log.Logger;
import org.osgi.util.promise.Deferred;
import org.osgi.util.promise.Promise;
import org.osgi.util.promise.PromiseFactory;

import dev.trampoline.runtime.remote.CallOptions;
import dev.trampoline.runtime.remote.internal.call.ActiveWait;
import dev.trampoline.runtime.remote.internal.call.CallSite;
import dev.trampoline.runtime.remote.internal.call.PendingCall;
import dev.trampoline.runtime.remote.internal.config.ConfigurationCodec;
import dev.trampoline.runtime.remote.internal.config.ConfigurationFeed;
import dev.trampoline.runtime.remote.internal.process.ChildLaunch;
import dev.trampoline.runtime.remote.internal.process.ChildLogRelay;
import dev.trampoline.runtime.remote.internal.process.ChildProcess;
import dev.trampoline.runtime.remote.internal.process.Heartbeat;
import dev.trampoline.runtime.remote.internal.process.RoundTrips;
import dev.trampoline.runtime.remote.internal.process.ScriptedChild;
import dev.trampoline.runtime.remote.internal.wire.Frame;
import dev.trampoline.runtime.remote.internal.wire.Payload;
import dev.trampoline.runtime.remote.internal.wire.ReadLimit;

/**
 * A pool and its dispatcher wired as the executor wires them, whose children are {@link ScriptedChild}ren: a call
 * is its script's text, and its result the text the child answers. A failure answered by a child fails the call
 * with an {@link AnsweredFailure} carrying that text.
 */
final class PoolHarness implements AutoCloseable {

    /** A child's failure answer, as the caller gets it here. */
    static final class AnsweredFailure extends Exception {
        AnsweredFailure(String text) {
            super(text);
        }
    }

    /** Settings for tests: no standby child, no idle limit, 4 children of 4 calls each, 10 waiting calls. */
    static final PoolSettings SETTINGS = new PoolSettings(0, 0, 0, 4, 4, 10, 10_000, 0, 0);

    final ScriptedChild.Starter children = new ScriptedChild.Starter();
    final ChildPool pool;
    final Dispatcher dispatcher;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService workers = Executors.newCachedThreadPool();
    private final PromiseFactory promises = new PromiseFactory(workers, scheduler);
    private final AtomicLong ids = new AtomicLong();
    private final Path dir;
    private volatile Dispatcher.Target bundleSet;

    /** A pool with {@code settings}, its snapshot files in {@code dir}, on the bundle set {@code "a"}. */
    PoolHarness(Path dir, PoolSettings settings) {
        this(dir, settings, Heartbeat.NONE);
    }

    /** A pool as above whose children are sent heartbeats as {@code heartbeat} says. */
    PoolHarness(Path dir, PoolSettings settings, Heartbeat heartbeat) {
        this(dir, settings, heartbeat, null);
    }

    /** A pool as above whose children's warm calls are timed into {@code roundTrips} (null: not timed). */
    PoolHarness(Path dir, PoolSettings settings, Heartbeat heartbeat, RoundTrips roundTrips) {
        this.dir = dir;
        ChildLaunch launch = new ChildLaunch(Path.of("java"), "launcher.jar", "Main", dir.resolve("cds"), false,
                null, null).startedBy(children).withHeartbeat(heartbeat).timedInto(roundTrips);
        PoolLoop loop = new PoolLoop(QUIET);
        pool = new ChildPool(launch, new ConfigurationFeed(() -> ConfigurationCodec.encode(List.of(), (p, k) -> { })),
                ReadLimit.standard(), loop, workers, QUIET, new ChildLogRelay(null, null, QUIET));
        pool.spares(false);
        pool.settings(settings);
        bundleSet = snapshot("a");
        dispatcher = new Dispatcher(pool, loop, () -> bundleSet, this::settle, scheduler, workers, QUIET);
    }

    /** Submits the call {@code script} with {@code options}; the promise resolves to the child's answer text. */
    Promise<Object> call(String script, CallOptions options) {
        return call(script, options, null);
    }

    /** {@link #call(String, CallOptions)} as one call of a bulk call's {@code spread} (null: none). */
    Promise<Object> call(String script, CallOptions options, Spread spread) {
        Deferred<Object> deferred = promises.deferred();
        PendingCall call = new PendingCall(ids.incrementAndGet(), deferred, new CallSite(), new ActiveWait(0));
        dispatcher.submit(call, Payload.utf8(script), options, pid -> { }, spread);
        return call.promise;
    }

    /** {@link #call(String, CallOptions)} with the default options. */
    Promise<Object> call(String script) {
        return call(script, CallOptions.DEFAULT);
    }

    /** The answer of {@code call}, once it came: its text, or the failure it ended with. */
    static String answer(Promise<Object> call) throws Exception {
        try {
            return (String) call.getValue();
        } catch (InvocationTargetException e) {
            throw (Exception) e.getCause();
        }
    }

    /** The failure {@code call} ended with, once it ended; fails if it answered. */
    static Throwable failure(Promise<Object> call) throws InterruptedException {
        Throwable t = call.getFailure();
        if (t == null) {
            throw new AssertionError("the call answered instead of failing");
        }
        return t;
    }

    /** Calls then use the bundle set {@code name}, and the pool is told of the change, as the executor does. */
    void changeBundleSet(String name) {
        bundleSet = snapshot(name);
        dispatcher.bundleSetChanged(bundleSet);
    }

    /** The bundle set {@code name}: its hash is the name repeated, its snapshot file holds that hash. */
    private Dispatcher.Target snapshot(String name) {
        String hash = name.repeat(64 / name.length());
        Path file = dir.resolve("snapshot-" + hash);
        try {
            Files.writeString(file, hash);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Dispatcher.Target(hash, file);
    }

    /** Waits until {@code condition} holds: for a state the pool reaches without an event a test can wait on. */
    static void until(java.util.function.BooleanSupplier condition) throws InterruptedException {
        while (!condition.getAsBoolean()) {
            Thread.sleep(1);
        }
    }

    /** The pool's child with {@code pid}, or null. */
    ChildProcess child(long pid) {
        return pool.children().stream().filter(c -> c.pid() == pid).findFirst().orElse(null);
    }

    private String settle(long childPid, PendingCall call, Frame frame) {
        String text = frame.payload().utf8();
        if (frame.kind() == Frame.RESULT) {
            call.deferred.resolve(text);
        } else {
            call.deferred.fail(new AnsweredFailure(text));
        }
        return null;
    }

    @Override
    public void close() {
        pool.close();
        scheduler.shutdownNow();
        workers.shutdownNow();
    }

    static final Logger QUIET = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(),
            new Class<?>[] {Logger.class}, (proxy, method, args) -> method.getReturnType() == boolean.class ? false
                    : null);
}
