package dev.trampoline.runtime.remote.internal.child;

import java.io.IOException;
import java.io.Serializable;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.util.promise.Deferred;
import org.osgi.util.promise.Promise;
import org.osgi.util.promise.PromiseFactory;

import dev.trampoline.runtime.remote.CallOptions;
import dev.trampoline.runtime.remote.ChildFailedException;
import dev.trampoline.runtime.remote.RemoteExecutor;
import dev.trampoline.runtime.remote.RemoteFunction;
import dev.trampoline.runtime.remote.RemoteTask;
import dev.trampoline.runtime.remote.internal.config.ConfigurationFeed;
import dev.trampoline.runtime.remote.internal.config.ConfigurationSource;
import dev.trampoline.runtime.remote.internal.serial.ClassFilter;
import dev.trampoline.runtime.remote.internal.wire.ReadLimit;
import dev.trampoline.runtime.remote.internal.serial.Serialization;
import dev.trampoline.runtime.remote.internal.snapshot.BundleSetTracker;
import dev.trampoline.runtime.contract.internal.ChildArguments;
import dev.trampoline.runtime.contract.internal.ChildProperties;
import dev.trampoline.runtime.contract.internal.StoreLayout;
import dev.trampoline.runtime.remote.internal.snapshot.BundleSnapshot;
import dev.trampoline.runtime.remote.internal.snapshot.SnapshotException;
import dev.trampoline.runtime.remote.internal.wire.CallRequest;
import dev.trampoline.runtime.remote.internal.wire.Frame;
import dev.trampoline.runtime.remote.internal.wire.MethodCall;
import dev.trampoline.runtime.remote.internal.wire.Payload;
import dev.trampoline.runtime.remote.internal.wire.ServiceSelector;
import dev.trampoline.runtime.remote.internal.thread.Daemons;

/** The {@link RemoteExecutor} service: serializes calls, picks a child, and turns answers into promises. */
@Component(service = {RemoteExecutor.class, RemoteExecutorImpl.class}, immediate = true)
public final class RemoteExecutorImpl implements RemoteExecutor, ChildProcess.Listener {

    /** Framework property: the class path children start with (default: this JVM's). */
    static final String CHILD_CLASSPATH = "trampoline.child.classpath";
    /** Framework property: the children's main class (the launcher's trampoline). */
    static final String CHILD_MAIN = "trampoline.child.main";
    private static final int INLINE_DECODE_BYTES = 64 * 1024;
    /**
     * Framework property: how long a child waits for a call's service to appear before the call fails saying
     * why it is not there (a shorter time limit of the call shortens it).
     */
    static final String SERVICE_WAIT_PROPERTY = "trampoline.remote.serviceWaitMillis";
    private static final long DEFAULT_SERVICE_WAIT_MILLIS = 5_000;
    private long serviceWaitMillis = DEFAULT_SERVICE_WAIT_MILLIS;
    /** Bundle events closer than this are one change of the bundle set. */
    private static final long SETTLE_QUIET_MILLIS = 100;
    /** A change that goes on longer (events keep coming) is followed at least this often. */
    private static final long SETTLE_MAX_MILLIS = 3_000;

    /** Taken when the executor starts: a child that makes no call of its own never activates the tracker. */
    @Reference
    private ComponentServiceObjects<BundleSetTracker> bundleSets;
    private BundleSetTracker bundleSet;

    @Reference(service = LoggerFactory.class)
    private Logger log;

    /** The loggers of every bundle: a child's entries are logged here as their bundle's (see ChildLogRelay). */
    @Reference
    private LoggerFactory loggers;

    @Reference
    private ConfigurationSource configurationSource;
    /** Removed on deactivation, like the bundle-set listener. */
    private final Runnable configurationListener = this::configurationsChanged;

    private Serialization serialization;
    private Answers answers;
    private ExecutorService callbacks;
    private ScheduledExecutorService scheduler;
    private PromiseFactory promises;
    private ChildPool pool;
    private final AtomicLong ids = new AtomicLong();
    private Dispatcher dispatcher;
    private ActiveWait activeWait;
    /** Whether this runtime is itself a child JVM. */
    private boolean inChild;
    /** Whether a call was made through this executor. */
    private volatile boolean callsMade;

    private BundleContext context;
    /** Whether {@link #start} ran: the pool, its threads and the serialization exist. */
    private volatile boolean started;
    /** Set on deactivation: a task already running then (following the bundle set) ends without a warning. */
    private volatile boolean deactivated;

    @Activate
    void activate(BundleContext context) {
        this.context = context;
        inChild = Boolean.parseBoolean(context.getProperty(ChildProperties.IN_CHILD));
        if (!inChild) {
            start();
        }
        // A child starts its executor at its first call of its own, which most never make: that keeps the pool,
        // its threads and the bundle-set tracker out of every child's start (about 18 ms on two cores).
    }

    /** The executor, started (at its first use, in a child). */
    private RemoteExecutorImpl started() {
        if (!started) {
            start();
        }
        return this;
    }

    private synchronized void start() {
        if (started) {
            return;
        }
        bundleSet = bundleSets.getService();
        ReadLimit readLimit;
        try {
            readLimit = ReadLimit.forFramework(context::getProperty);
        } catch (IllegalArgumentException e) {
            log.warn("{}; a frame carries at most {} bytes", e.getMessage(), ReadLimit.DEFAULT_MAX_FRAME);
            readLimit = ReadLimit.standard();
        }
        serialization = new Serialization(context, ClassFilter.Limits.DEFAULT, readLimit.maxFrame());
        answers = new Answers(serialization);
        callbacks = Executors.newCachedThreadPool(Daemons.numbered("trampoline-remote-"));
        scheduler = Executors.newSingleThreadScheduledExecutor(Daemons.named("trampoline-remote-timer"));
        promises = new PromiseFactory(callbacks, scheduler);
        serviceWaitMillis = serviceWait(context.getProperty(SERVICE_WAIT_PROPERTY));
        String classPath = context.getProperty(CHILD_CLASSPATH);
        String main = context.getProperty(CHILD_MAIN);
        String jit = context.getProperty(ChildJvmOptions.JIT_PROPERTY);
        try {
            activeWait = ActiveWait.fromProperty(context.getProperty(ActiveWait.PROPERTY));
        } catch (IllegalArgumentException e) {
            log.warn("{}; callers wait {} µs actively for answers", e.getMessage(), ActiveWait.DEFAULT_MICROS);
            activeWait = new ActiveWait(ActiveWait.DEFAULT_MICROS);
        }
        ChildPool.Launch launch;
        try {
            launch = launch(context, classPath, main, jit);
        } catch (IllegalArgumentException e) {
            log.warn("{}; children use the JVM's default compilers", e.getMessage());
            launch = launch(context, classPath, main, null);
        }
        pool = new ChildPool(launch, new ConfigurationFeed(configurationSource), this, readLimit, log,
                new ChildLogRelay(context, loggers, log));
        // Not in a child (a JVM kept for its rare calls would mostly wait), nor for a main that is not ours.
        pool.spares(!inChild && main == null && !"false".equalsIgnoreCase(context.getProperty(SpareJvm.PROPERTY)));
        Bundle own = context.getBundle();
        pool.warmUpCalls(() -> ArchiveTrainer.warmUpCalls(serialization, own));
        dispatcher = new Dispatcher(pool, () -> {
            BundleSnapshot snapshot = bundleSet.snapshot();
            return new Dispatcher.Target(snapshot.hash(), bundleSet.fileFor(snapshot));
        }, scheduler, log);
        pool.onRoom(() -> {
            try {
                scheduler.execute(dispatcher::dispatch);
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                // deactivated: no call waits any more
            }
        });
        try {
            frameworkSettings = PoolSettings.from(context::getProperty, "trampoline.pool.");
        } catch (IllegalArgumentException e) {
            log.warn("Child pool settings: {}; using the defaults", e.getMessage());
            frameworkSettings = PoolSettings.DEFAULT;
        }
        pool.settings(effective(configuredSettings != null ? configuredSettings : frameworkSettings));
        configurationSource.onChange(configurationListener);
        if (!inChild) { // not at a child's start
            scheduler.execute(ChildJvmOptions::nativeHeapTrimSupported);
            scheduler.execute(() -> ChildFolders.sweepAbandoned(log));
        }
        bundleSetSettled = new QuietPeriod((check, delay) -> {
            try {
                scheduler.schedule(check, delay, TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                // deactivated: nothing to follow
            }
        }, System::nanoTime, TimeUnit.MILLISECONDS.toNanos(SETTLE_QUIET_MILLIS),
                TimeUnit.MILLISECONDS.toNanos(SETTLE_MAX_MILLIS), bundleSet::inTransition, this::followBundleSet);
        bundleSet.onChange(bundleSetListener);
        scheduler.scheduleWithFixedDelay(pool::retireIdleAndWornOut, 250, 250, TimeUnit.MILLISECONDS);
        if (pool.standby() > 0) {
            bundleSetChanged();
        }
        started = true;
    }

    private ChildPool.Launch launch(BundleContext context, String classPath, String main, String jit) {
        return new ChildPool.Launch(Path.of(System.getProperty("java.home"), "bin", "java"),
                classPath == null ? System.getProperty("java.class.path") : classPath,
                main == null ? ChildArguments.MAIN_CLASS : main,
                StoreLayout.classDataArchives(bundleSet.store().root()),
                !"false".equalsIgnoreCase(context.getProperty(ChildJvmOptions.CDS_PROPERTY)),
                context.getProperty(ChildJvmOptions.OPTIONS_PROPERTY), jit);
    }

    private long serviceWait(String value) {
        try {
            return value == null ? DEFAULT_SERVICE_WAIT_MILLIS : Math.max(0, Long.parseLong(value.strip()));
        } catch (NumberFormatException e) {
            log.warn("{}={} is not a number of milliseconds; children wait {} ms for a call's service",
                    SERVICE_WAIT_PROPERTY, value, DEFAULT_SERVICE_WAIT_MILLIS);
            return DEFAULT_SERVICE_WAIT_MILLIS;
        }
    }

    private PoolSettings frameworkSettings = PoolSettings.DEFAULT;
    /** The {@value PoolSettings#PID} configuration's settings while it exists, else null. */
    private PoolSettings configuredSettings;

    /** A child that makes calls of its own keeps no standby children: its own children serve its calls. */
    private PoolSettings effective(PoolSettings s) {
        return inChild ? s.withStandby(0) : s;
    }

    private void configurationsChanged() {
        try {
            pool.configurationsChanged();
        } catch (IOException | RuntimeException e) {
            log.error("Children could not be given the changed configurations: {}", e.toString());
        }
    }
    private QuietPeriod bundleSetSettled;
    /** Removed on deactivation: bundles stopping as the framework shuts down must not reach a closed pool. */
    private final Runnable bundleSetListener = this::bundleSetChanged;

    /**
     * Applies settings from the {@value PoolSettings#PID} configuration, which takes the place of the framework
     * properties while it exists; {@code null} (the configuration was deleted) goes back to them.
     */
    public void configurationRejected(String reason) {
        log.error("Configuration {} not applied: {}", PoolSettings.PID, reason);
    }

    public void configure(Map<String, Object> properties) {
        PoolSettings s;
        synchronized (this) {
            configuredSettings = properties == null ? null : PoolSettings.from(properties);
            if (!started) {
                return; // a child that has made no call of its own: its pool starts with these, if ever
            }
            s = effective(configuredSettings != null ? configuredSettings : frameworkSettings);
        }
        pool.settings(s);
        log.info("Child pool settings: {}", s);
        bundleSetChanged();
        dispatcher.dispatch();
    }

    /**
     * After bundle events settle (a batch of deployments, a start-level change: one move, not one per step),
     * standby children move to the new set and used ones retire, before the next call asks.
     */
    private void bundleSetChanged() {
        if (inChild && !callsMade && pool.standby() == 0) {
            // A child that makes no calls of its own need not know its bundle set: computing it would copy every
            // bundle into a store, right after the child's start (its own bundles starting are bundle events too).
            // Once it makes one, a change is acted on (one before it is in the call's own snapshot).
            return;
        }
        bundleSetSettled.signal();
    }

    private void followBundleSet(boolean settled) {
        try {
            BundleSnapshot snapshot = bundleSet.snapshot();
            if (!settled) {
                log.info("The bundle set is still changing after {} ms; children follow it as it is now ({})",
                        SETTLE_MAX_MILLIS, snapshot.hash().substring(0, 12));
            }
            pool.bundleSetChanged(snapshot.hash(), bundleSet.fileFor(snapshot));
        } catch (SnapshotException | IOException | RuntimeException e) {
            if (deactivated) {
                // The framework is stopping: its bundles stopping changed the set, and this bundle's context is
                // gone ("Invalid BundleContext"). Nothing to follow, and nothing a user need read at every stop.
                log.debug("Bundle set not followed while stopping: {}", e.getMessage());
                return;
            }
            log.warn("Could not bring standby children to the new bundle set: {}", e.getMessage());
        }
    }

    /** Keeps at least {@code count} standby children for the current bundle set, starting them now. */
    public void prestart(int count) throws SnapshotException, IOException {
        started();
        pool.standby(Math.max(pool.standby(), count));
        BundleSnapshot snapshot = bundleSet.snapshot();
        pool.bundleSetChanged(snapshot.hash(), bundleSet.fileFor(snapshot));
    }

    @Deactivate
    synchronized void deactivate() {
        deactivated = true;
        if (!started) {
            return;
        }
        bundleSet.removeOnChange(bundleSetListener);
        configurationSource.removeOnChange(configurationListener);
        pool.close();
        scheduler.shutdownNow();
        callbacks.shutdown();
    }

    public ChildPool pool() {
        return started().pool;
    }

    @Override
    public <S, R> Promise<R> submit(ServiceReference<S> reference, RemoteFunction<S, R> function, CallOptions options) {
        return call(ServiceSelector.of(reference), function, options);
    }

    @Override
    public <S, R> Promise<R> submit(Class<S> type, String filter, RemoteFunction<S, R> function, CallOptions options) {
        return call(new ServiceSelector(new String[] {type.getName()}, null, null, filter), function, options);
    }

    @Override
    public Promise<Object> invoke(ServiceReference<?> reference, String method, Object[] arguments,
            CallOptions options) {
        return call(ServiceSelector.of(reference), new MethodCall(method, null, arguments), options);
    }

    @Override
    public <R> Promise<R> run(RemoteTask<R> task, CallOptions options) {
        return call(null, task, options);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <S> S proxy(Class<S> type, ServiceReference<S> reference, CallOptions options) {
        ServiceSelector selector = ServiceSelector.of(reference);
        return (S) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                new RemoteProxy(selector, methodCall -> call(selector, methodCall, options), this::cancel));
    }

    @Override
    public boolean cancel(Promise<?> call) {
        return started && dispatcher.cancel(call);
    }

    /** {@link #invoke}, telling {@code chosen} which child runs the call (the shell prints its pid). */
    public Promise<Object> invoke(ServiceReference<?> reference, String method, Object[] arguments,
            CallOptions options, java.util.function.LongConsumer chosen) {
        return call(ServiceSelector.of(reference), new MethodCall(method, null, arguments), options, chosen);
    }

    private <R> Promise<R> call(ServiceSelector selector, Serializable action, CallOptions options) {
        return call(selector, action, options, pid -> { });
    }

    @SuppressWarnings("unchecked")
    private <R> Promise<R> call(ServiceSelector selector, Serializable action, CallOptions options,
            java.util.function.LongConsumer chosen) {
        if (!callsMade) { // written once: no shared write on every call
            started();
            callsMade = true;
        }
        CallSite site = new CallSite();
        // Within a time limit the child gives up on a missing service first, so the caller learns why.
        long wait = options.timeout() == null ? serviceWaitMillis
                : Math.min(serviceWaitMillis, options.timeout().toMillis() * 3 / 4);
        // Serialized here, in the caller's thread: what cannot be sent fails before any child is involved.
        Payload payload = serialization.write(new CallRequest(selector, action, wait));
        Deferred<Object> deferred = promises.deferred();
        PendingCall call = new PendingCall(ids.incrementAndGet(), deferred, site, activeWait);
        dispatcher.submit(call, payload, options, chosen);
        return (Promise<R>) call.promise;
    }

    @Override
    public void answered(ChildProcess child, PendingCall call, Frame frame) {
        if (!call.settle()) {
            dispatcher.dispatch(); // cancelled or timed out already; its place is free all the same
            return;
        }
        Runnable decode = () -> answers.settle(child, call, frame);
        // Small answers are read on the channel's thread (no hand-off); large ones elsewhere, so they do not
        // hold up the answers behind them.
        if (frame.payload().size() <= INLINE_DECODE_BYTES) {
            decode.run();
        } else {
            callbacks.execute(decode);
        }
        dispatcher.dispatch(); // a call ended: a waiting one may start
    }

    @Override
    public void died(ChildProcess child, List<PendingCall> orphans, ChildFailedException cause) {
        pool.forget(child);
        if (cause != null) {
            log.warn("{}", cause.getMessage());
        }
        for (PendingCall call : orphans) {
            if (call.settle()) {
                ChildFailedException e = new ChildFailedException(cause.getMessage(), cause.pid(), cause.exitStatus());
                e.addSuppressed(call.callSite);
                call.deferred.fail(e);
            }
        }
        dispatcher.dispatch(); // a child went: room for a waiting call
    }
}
