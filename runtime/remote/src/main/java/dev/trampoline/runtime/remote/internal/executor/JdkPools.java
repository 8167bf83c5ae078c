package dev.trampoline.runtime.remote.internal.executor;

import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.trampoline.runtime.remote.CallRejectedException;
import dev.trampoline.runtime.remote.internal.pool.ChildPool;
import dev.trampoline.runtime.remote.internal.pool.Dispatcher;
import dev.trampoline.runtime.remote.internal.pool.PoolSettings;
import dev.trampoline.runtime.remote.internal.process.JavaHome;

/**
 * The pools of local children on JDKs that calls name ({@code CallOptions.javaHome}) other than the runtime's
 * children's: one per JDK, made at its first call and kept while the runtime runs, so that calls on different
 * JDKs never share a child. Each has its own loop, class-data archive or AOT cache and the runtime's pool settings,
 * but no standby child and no spare JVM: those are kept for the runtime's own JDK, which most calls use.
 */
final class JdkPools extends PoolGroup<JdkPools.JdkPool> {

    /** One JDK's pool: the JDK, the pool and its dispatcher. */
    record JdkPool(JavaHome jdk, ChildPool pool, Dispatcher dispatcher) implements PoolGroup.Member {
    }

    private final JavaHome runtimes;
    private final Function<JavaHome, JdkPool> factory;
    /** Replaced whole under this lock, read without it. */
    private volatile Map<Path, JdkPool> pools = Map.of();
    private boolean closed;

    /** Pools made by {@code factory} for every JDK but {@code runtimes}, the one the runtime's own pool runs. */
    JdkPools(JavaHome runtimes, Function<JavaHome, JdkPool> factory) {
        this.runtimes = runtimes;
        this.factory = factory;
    }

    /**
     * The pool of the JDK in {@code javaHome}, made at its first call, or null if that is the runtime's children's
     * JDK (the runtime's own pool takes the call).
     *
     * @throws CallRejectedException naming the folder and what to do, if it holds no JDK children can run on, or
     *         the executor is stopping
     */
    JdkPool forCall(String javaHome) {
        JavaHome jdk;
        try {
            jdk = JavaHome.of(javaHome);
        } catch (IllegalArgumentException e) {
            throw new CallRejectedException(e.getMessage());
        }
        if (jdk.home().equals(runtimes.home())) {
            return null;
        }
        JdkPool known = pools.get(jdk.home());
        return known != null ? known : add(jdk);
    }

    private synchronized JdkPool add(JavaHome jdk) {
        if (closed) {
            throw new CallRejectedException("The remote executor is stopping");
        }
        JdkPool known = pools.get(jdk.home());
        if (known != null) {
            return known;
        }
        JdkPool made = factory.apply(jdk);
        Map<Path, JdkPool> next = new LinkedHashMap<>(pools);
        next.put(jdk.home(), made);
        pools = java.util.Collections.unmodifiableMap(next);
        return made;
    }

    @Override
    Collection<JdkPool> all() {
        return pools.values();
    }

    /** The pool settings of another JDK's pool: {@code local} (the runtime's pool's) without standby children. */
    static PoolSettings settingsFor(PoolSettings local) {
        return local.withStandby(0);
    }

    /** The runtime's pool settings changed to {@code local}: every JDK's pool follows, and waiting calls may fit. */
    void settingsChanged(PoolSettings local) {
        for (JdkPool p : pools.values()) {
            p.pool().settings(settingsFor(local));
            p.dispatcher().dispatch();
        }
    }

    synchronized void close() {
        closed = true;
        List.copyOf(pools.values()).forEach(p -> p.pool().close());
        pools = Map.of();
    }
}
