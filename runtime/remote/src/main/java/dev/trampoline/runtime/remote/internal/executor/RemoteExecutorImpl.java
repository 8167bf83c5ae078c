package dev.trampoline.runtime.remote.internal.executor;

import java.io.IOException;
import java.io.Serializable;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.util.promise.Deferred;
import org.osgi.util.promise.Promise;
import org.osgi.util.promise.PromiseFactory;

import dev.trampoline.runtime.contract.internal.ChildArguments;
import dev.trampoline.runtime.contract.internal.ChildProperties;
import dev.trampoline.runtime.contract.internal.StoreLayout;
import dev.trampoline.runtime.remote.BulkOptions;
import dev.trampoline.runtime.remote.CallOptions;
import dev.trampoline.runtime.remote.CallRejectedException;
import dev.trampoline.runtime.remote.RemoteExecutor;
import dev.trampoline.runtime.remote.Outcome;
import dev.trampoline.runtime.remote.RemoteFunction;
import dev.trampoline.runtime.remote.RemoteMapper;
import dev.trampoline.runtime.remote.RemoteTask;
import dev.trampoline.runtime.remote.internal.call.ActiveWait;
import dev.trampoline.runtime.remote.internal.call.Answers;
import dev.trampoline.runtime.remote.internal.call.CallSite;
import dev.trampoline.runtime.remote.internal.call.PendingCall;
import dev.trampoline.runtime.remote.internal.config.ConfigurationFeed;
import dev.trampoline.runtime.remote.internal.config.ConfigurationSource;
import dev.trampoline.runtime.remote.internal.host.HostStarter;
import dev.trampoline.runtime.remote.internal.host.HostPlacement;
import dev.trampoline.runtime.remote.internal.host.HostsSettings;
import dev.trampoline.runtime.remote.internal.host.RemoteHost;
import dev.trampoline.runtime.remote.internal.process.JavaHome;
import dev.trampoline.runtime.remote.internal.pool.ChildPool;
import dev.trampoline.runtime.remote.internal.pool.Dispatcher;
import dev.trampoline.runtime.remote.internal.pool.PoolLoop;
import dev.trampoline.runtime.remote.internal.pool.PoolSettings;
import dev.trampoline.runtime.remote.internal.process.ArchiveTrainer;
import dev.trampoline.runtime.remote.internal.process.ChildFolders;
import dev.trampoline.runtime.remote.internal.process.ChildJvmOptions;
import dev.trampoline.runtime.remote.internal.process.ChildLaunch;
import dev.trampoline.runtime.remote.internal.process.ChildLogRelay;
import dev.trampoline.runtime.remote.internal.process.ChildProcess;
import dev.trampoline.runtime.remote.internal.process.Heartbeat;
import dev.trampoline.runtime.remote.internal.process.RoundTrips;
import dev.trampoline.runtime.remote.internal.serial.ClassFilter;
import dev.trampoline.runtime.remote.internal.serial.Serialization;
import dev.trampoline.runtime.remote.internal.snapshot.BundleSetTracker;
import dev.trampoline.runtime.remote.internal.snapshot.BundleSnapshot;
import dev.trampoline.runtime.remote.internal.snapshot.SnapshotException;
import dev.trampoline.runtime.remote.internal.thread.Daemons;
import dev.trampoline.runtime.remote.internal.wire.CallRequest;
import dev.trampoline.runtime.remote.internal.wire.MethodCall;
import dev.trampoline.runtime.remote.internal.wire.Payload;
import dev.trampoline.runtime.remote.internal.wire.ReadLimit;
import dev.trampoline.runtime.remote.internal.wire.ServiceSelector;

/**
 * The {@link RemoteExecutor} service: serializes calls, picks a child, and turns answers into promises. It takes
 * the pool's settings from the {@value PoolSettings#PID} configuration while there is one (for example the file
 * {@code dev.trampoline.remote.pool.cfg} in a deploy folder), else from the framework properties.
 */
@Component(service = {RemoteExecutor.class, ExecutorAdmin.class}, immediate = true,
        configurationPid = PoolSettings.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class RemoteExecutorImpl implements RemoteExecutor, ExecutorAdmin {

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

    /** The hosts children may run on besides this machine. */
    @Reference
    private HostsSettings hostsSettings;
    private final java.util.function.Consumer<List<RemoteHost>> hostsListener = this::hostsChanged;
    private HostPools hosts;
    /** The pools of children on JDKs that calls name, besides the runtime's children's. */
    private JdkPools jdks;
    private ChildLogRelay relay;
    private ReadLimit readLimit;
    /** Removed on deactivation, like the bundle-set listener. */
    private final Runnable configurationListener = this::configurationsChanged;

    private ExecutorSettings settings;
    private Serialization serialization;
    private Answers answers;
    private ExecutorService callbacks;
    private ScheduledExecutorService scheduler;
    private PromiseFactory promises;
    private ChildPool pool;
    private final AtomicLong ids = new AtomicLong();
    /** Bulk calls not over yet, by the promise their caller holds: what a cancel finds. */
    private BulkCalls bulkCalls;
    private Dispatcher dispatcher;
    private ActiveWait activeWait;
    private BundleSetFollower follower;
    /** Whether this runtime is itself a child JVM. */
    private boolean inChild;
    /** Whether a call was made through this executor. */
    private volatile boolean callsMade;
    /** The {@value PoolSettings#PID} configuration's settings while it exists, else null. Guarded by this. */
    private PoolSettings configuredSettings;

    private BundleContext context;
    /** Whether {@link #start} ran: the pool, its threads and the serialization exist. */
    private volatile boolean started;

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) {
        this.context = context;
        inChild = Boolean.parseBoolean(context.getProperty(ChildProperties.IN_CHILD));
        configure(properties);
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
        settings = ExecutorSettings.read(context::getProperty, warning -> log.warn("{}", warning));
        bundleSet = bundleSets.getService();
        readLimit = ReadLimit.shared(settings.maxFrame());
        serialization = new Serialization(context, ClassFilter.Limits.DEFAULT, readLimit.maxFrame());
        answers = new Answers(serialization);
        callbacks = Executors.newCachedThreadPool(Daemons.numbered("trampoline-remote-"));
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, Daemons.named("trampoline-remote-timer"));
        timer.setRemoveOnCancelPolicy(true); // an answered call's time limit lets go of the call at once
        scheduler = timer;
        promises = new PromiseFactory(callbacks, scheduler);
        activeWait = new ActiveWait(settings.spinMicros());
        bulkCalls = new BulkCalls(serialization, answers, promises, ids, activeWait);
        PoolLoop loop = new PoolLoop(log);
        relay = new ChildLogRelay(context, loggers, log);
        pool = poolOf(launch(settings.java()), loop);
        pool.spares(settings.spareWanted());
        dispatcher = dispatcherOf(pool, loop);
        pool.settings(settings.poolSettings(configuredSettings));
        hosts = new HostPools(this::hostPool);
        jdks = new JdkPools(settings.java(), this::jdkPool);
        if (!inChild) { // a child's own calls run in its own children, on its host
            hostsSettings.onChange(hostsListener); // first: a change meanwhile is not lost
            hosts.configure(hostsSettings.hosts());
        }
        configurationSource.onChange(configurationListener);
        if (!inChild) { // not at a child's start
            scheduler.execute(ChildJvmOptions::nativeHeapTrimSupported);
            scheduler.execute(() -> ChildFolders.sweepAbandoned(log));
        }
        // A child that makes no calls of its own need not know its bundle set: computing it would copy every
        // bundle into a store, right after the child's start (its own bundles starting are bundle events too).
        // Once it makes one, a change is acted on (one before it is in the call's own snapshot).
        follower = new BundleSetFollower(bundleSet, target -> {
            dispatcher.bundleSetChanged(target);
            hosts.bundleSetChanged(target);
            jdks.bundleSetChanged(target);
        }, scheduler, () -> !inChild || callsMade || pool.standby() > 0, log);
        scheduler.scheduleWithFixedDelay(() -> {
            pool.retireIdleAndWornOut();
            hosts.retireIdleAndWornOut();
            jdks.retireIdleAndWornOut();
            if (hostsSettings.placement() != HostPlacement.NAMED_ONLY) {
                hosts.contactAhead(callbacks); // calls that name no host go only to hosts known to answer
            }
        }, 250, 250, TimeUnit.MILLISECONDS);
        boolean resumesSpare = !inChild && pool.resumeSpares(StoreLayout.spareMarker(bundleSet.store().root()));
        if (pool.standby() > 0 || resumesSpare) {
            follower.changed();
        }
        started = true;
    }

    /** How this machine's children on {@code jdk} start. */
    private ChildLaunch launch(JavaHome jdk) {
        return new ChildLaunch(jdk,
                settings.classPath() == null ? System.getProperty("java.class.path") : settings.classPath(),
                settings.mainClass() == null ? ChildArguments.MAIN_CLASS : settings.mainClass(),
                StoreLayout.classDataArchives(bundleSet.store().root()), settings.cds(), settings.jvmOptions(),
                settings.jit()).withHeartbeat(settings.heartbeat());
    }

    private Dispatcher.Target currentTarget() throws SnapshotException, IOException {
        return BundleSetFollower.target(bundleSet);
    }

    /**
     * A pool of children on {@code host}: started over ssh from this runtime's launcher jar, as many at most as
     * the host has slots, none kept ready ahead (no standby child, spare or class-data archive there).
     */
    private HostPools.HostPool hostPool(RemoteHost host) {
        ChildLaunch local = launch(settings.java());
        HostStarter starter = HostStarter.of(host, Path.of(local.classPath()), log);
        RoundTrips roundTrips = new RoundTrips();
        ChildLaunch there = ChildLaunch.onHost(host.java(), local.classPath(), local.mainClass(),
                StoreLayout.classDataArchives(bundleSet.store().root()), settings.jvmOptions(), settings.jit())
                .startedBy(starter)
                .timedInto(roundTrips)
                // no pid to watch there, and a partition may leave the channel open and silent
                .withHeartbeat(settings.heartbeat().enabled() ? settings.heartbeat() : Heartbeat.DEFAULT);
        PoolLoop loop = new PoolLoop(log);
        ChildPool hostPool = poolOf(there, loop);
        hostPool.settings(HostPools.settingsFor(settings.poolSettings(configuredSettings), host));
        return new HostPools.HostPool(starter, hostPool, dispatcherOf(hostPool, loop), roundTrips);
    }

    /**
     * A pool of this machine's children on {@code jdk}, for calls that name it: with its own class-data archive
     * or AOT cache, and no standby child or spare JVM (see {@link JdkPools}).
     */
    private JdkPools.JdkPool jdkPool(JavaHome jdk) {
        log.info("Calls that ask for the JDK in {} ({}) get children of their own", jdk.home(), jdk.version());
        PoolLoop loop = new PoolLoop(log);
        ChildPool jdkPool = poolOf(launch(jdk), loop);
        jdkPool.settings(JdkPools.settingsFor(settings.poolSettings(configuredSettings)));
        return new JdkPools.JdkPool(jdk, jdkPool, dispatcherOf(jdkPool, loop));
    }

    /** A pool of children started as {@code launch} says, owned by {@code loop}, with the warm-up calls. */
    private ChildPool poolOf(ChildLaunch launch, PoolLoop loop) {
        ChildPool made = new ChildPool(launch, new ConfigurationFeed(configurationSource), readLimit, loop, callbacks,
                log, relay);
        Bundle own = context.getBundle();
        made.warmUpCalls(() -> ArchiveTrainer.warmUpCalls(serialization, own));
        return made;
    }

    private Dispatcher dispatcherOf(ChildPool to, PoolLoop loop) {
        return new Dispatcher(to, loop, this::currentTarget, answers::settle, scheduler, callbacks, log);
    }

    private void hostsChanged(List<RemoteHost> changed) {
        hosts.configure(changed);
    }

    private void configurationsChanged() {
        try {
            pool.configurationsChanged();
            hosts.configurationsChanged();
            jdks.configurationsChanged();
        } catch (IOException | RuntimeException e) {
            log.error("Children could not be given the changed configurations: {}", e.toString());
        }
    }

    /**
     * The {@value PoolSettings#PID} configuration was created, changed or deleted: its settings take the place of
     * the framework properties' while it exists. A bad value is reported and the settings stay as they were.
     */
    @Modified
    void modified(Map<String, Object> properties) {
        PoolSettings s;
        synchronized (this) {
            if (!configure(properties) || !started) {
                return; // a child that has made no call of its own: its pool starts with these, if ever
            }
            s = settings.poolSettings(configuredSettings);
        }
        pool.settings(s);
        hosts.settingsChanged(s);
        jdks.settingsChanged(s);
        log.info("Child pool settings: {}", s);
        follower.changed();
        dispatcher.dispatch();
    }

    /** Takes the configuration's settings (none without a configuration); false if a value is bad. */
    private synchronized boolean configure(Map<String, Object> properties) {
        try {
            configuredSettings = properties.get(Constants.SERVICE_PID) == null ? null
                    : PoolSettings.from(properties);
            return true;
        } catch (IllegalArgumentException e) {
            // A bad value must not take the pool down: say which, keep the settings it had.
            log.error("Configuration {} not applied: {}", PoolSettings.PID, e.getMessage());
            return false;
        }
    }

    @Override
    public void prestart(int count) throws SnapshotException, IOException {
        started();
        pool.standby(Math.max(pool.standby(), count));
        follower.followNow();
    }

    @Deactivate
    synchronized void deactivate() {
        if (!started) {
            return;
        }
        follower.close();
        configurationSource.removeOnChange(configurationListener);
        hostsSettings.removeOnChange(hostsListener);
        hosts.close();
        jdks.close();
        pool.close();
        scheduler.shutdownNow();
        callbacks.shutdown();
    }

    @Override
    public List<ChildSummary> children() {
        List<ChildSummary> all = new java.util.ArrayList<>(summaries(started().pool, null,
                settings.java().feature()));
        hosts.all().forEach(h -> all.addAll(summaries(h.pool(), h.host().name(), h.starter().javaFeature())));
        jdks.all().forEach(j -> all.addAll(summaries(j.pool(), null, j.jdk().feature())));
        return all;
    }

    private static List<ChildSummary> summaries(ChildPool pool, String host, int jdk) {
        return pool.children().stream().map(c -> new ChildSummary(c.pid(), c.snapshotHash(), state(c),
                c.callsServed(), c.callsInFlight(), c.uptime(), c.readyReport(), c.moves(), host, jdk)).toList();
    }

    @Override
    public List<HostSummary> hosts() {
        return started().hosts.all().stream().map(h -> {
            RoundTrips.Median trip = h.roundTrips().median();
            return new HostSummary(h.host().toString(), h.starter().state(), h.pool().children().size(),
                    trip == null ? -1 : trip.nanos() / 1_000, trip == null ? 0 : trip.calls(),
                    h.starter().contactMillis());
        }).toList();
    }

    /** A child's state as {@code tramp:children} shows it: a ready one is STANDBY or CANCELLING if it is so. */
    private static String state(ChildProcess c) {
        if (c.state() != ChildProcess.State.READY) {
            return c.state().toString();
        }
        return !c.used() ? "STANDBY" : c.cancellingCalls() > 0 ? "CANCELLING" : "READY";
    }

    @Override
    public long sparePid() {
        return started().pool.sparePid();
    }

    @Override
    public int standby() {
        return started().pool.standby();
    }

    @Override
    public boolean kill(long pid) {
        return started().pool.kill(pid) || hosts.kill(pid) || jdks.kill(pid);
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
        if (!started) {
            return false; // no call was made yet (the volatile read also makes the fields below visible)
        }
        Boolean bulk = bulkCalls.cancel(call);
        if (bulk != null) {
            return bulk;
        }
        return dispatcher.cancel(call) || hosts.cancel(call) || jdks.cancel(call);
    }

    @Override
    public Promise<Object> invoke(ServiceReference<?> reference, String method, Object[] arguments,
            CallOptions options, LongConsumer chosen) {
        return call(ServiceSelector.of(reference), new MethodCall(method, null, arguments), options, chosen);
    }

    private <R> Promise<R> call(ServiceSelector selector, Serializable action, CallOptions options) {
        return call(selector, action, options, pid -> { });
    }

    @SuppressWarnings("unchecked")
    private <R> Promise<R> call(ServiceSelector selector, Serializable action, CallOptions options,
            LongConsumer chosen) {
        if (!callsMade) { // written once: no shared write on every call
            started();
            callsMade = true;
        }
        CallSite site = new CallSite();
        // Serialized here, in the caller's thread: what cannot be sent fails before any child is involved.
        Payload payload = serialization.write(new CallRequest(selector, action, serviceWait(options)));
        Deferred<Object> deferred = promises.deferred();
        PendingCall call = new PendingCall(ids.incrementAndGet(), deferred, site, activeWait);
        Dispatcher to;
        try {
            to = dispatcherFor(options);
        } catch (CallRejectedException e) {
            return promises.failed(e);
        }
        to.submit(call, payload, options, chosen);
        return (Promise<R>) call.promise;
    }

    /**
     * The dispatcher of the pool a call with {@code options} runs in: its host's, its JDK's, or, as the hosts'
     * placement says, the runtime's own or a host's with free slots.
     *
     * @throws CallRejectedException if there is no such host or JDK, or the call names both
     */
    private Dispatcher dispatcherFor(CallOptions options) {
        if (options.host() != null) {
            if (options.javaHome() != null) {
                throw new CallRejectedException("A call on host '" + options.host() + "' runs on the java its host"
                        + " configuration names, not on the Java home " + options.javaHome() + ": leave one out");
            }
            return hosts.forCall(options.host()).dispatcher();
        }
        if (options.javaHome() != null) { // this machine's children on that JDK (the runtime's, if it is its)
            JdkPools.JdkPool jdk = jdks.forCall(options.javaHome());
            return jdk == null ? dispatcher : jdk.dispatcher();
        }
        return hosts.forUnnamedCall(hostsSettings.placement(), pool, dispatcher, options);
    }

    /** How long a child waits for a call's service: within a time limit it gives up first, so the caller knows why. */
    private long serviceWait(CallOptions options) {
        return options.timeout() == null ? settings.serviceWaitMillis()
                : Math.min(settings.serviceWaitMillis(), options.timeout().toMillis() * 3 / 4);
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public <S, T, R> Promise<List<Outcome<R>>> map(ServiceReference<S> reference, RemoteMapper<S, T, R> function,
            Iterable<? extends T> inputs, BulkOptions options) {
        return (Promise) bulk(ServiceSelector.of(reference), function, inputs, options, null);
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public <S, T, R> Promise<Long> mapUnordered(ServiceReference<S> reference, RemoteMapper<S, T, R> function,
            Iterable<? extends T> inputs, BulkOptions options, Consumer<? super Outcome<R>> each) {
        return (Promise) bulk(ServiceSelector.of(reference), function, inputs, options,
                java.util.Objects.requireNonNull(each, "each"));
    }

    /**
     * A bulk call: its chunks are calls of the host or JDK it names, else of this executor's pool and, as the
     * hosts' placement says, of hosts' (see {@link ChunkRoutes}), spread over up to its parallelism's children;
     * {@code each} null: outcomes in order, at the end.
     */
    private <R> Promise<Object> bulk(ServiceSelector selector, Serializable mapper, Iterable<?> inputs,
            BulkOptions options, Consumer<? super Outcome<R>> each) {
        java.util.Objects.requireNonNull(inputs, "inputs");
        if (!callsMade) {
            started();
            callsMade = true;
        }
        List<ChunkRoutes.Target> to;
        CallOptions call = options.call();
        try {
            to = call.host() != null || call.javaHome() != null
                    ? List.of(ChunkRoutes.Target.of(dispatcherFor(call)))
                    : hosts.forUnnamedBulk(hostsSettings.placement(), pool, dispatcher, call);
        } catch (CallRejectedException e) {
            return promises.failed(e);
        }
        return bulkCalls.start(to, selector, mapper, inputs, options, serviceWait(call), each);
    }
}
