package dev.trampoline.runtime.remote.internal.executor;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.trampoline.runtime.remote.CallOptions;
import dev.trampoline.runtime.remote.CallRejectedException;
import dev.trampoline.runtime.remote.internal.host.HostPlacement;
import dev.trampoline.runtime.remote.internal.host.RemoteHost;
import dev.trampoline.runtime.remote.internal.host.HostStarter;
import dev.trampoline.runtime.remote.internal.pool.ChildPool;
import dev.trampoline.runtime.remote.internal.pool.Dispatcher;
import dev.trampoline.runtime.remote.internal.pool.PoolSettings;
import dev.trampoline.runtime.remote.internal.process.RoundTrips;

/**
 * The pools of children on other hosts, one per configured host, each with its own loop, pool and dispatcher, so
 * that a slow or unreachable host holds up no other. When the hosts change, a host whose settings changed or that
 * is gone has its pool closed (its children's calls fail, saying so) and a new one made.
 */
final class HostPools extends PoolGroup<HostPools.HostPool> {

    /**
     * One host's pool: how its children start, the pool and its dispatcher, and the round trips of its children's
     * recent warm calls (kept for as long as the host's settings are: a changed host starts counting anew).
     */
    record HostPool(HostStarter starter, ChildPool pool, Dispatcher dispatcher, RoundTrips roundTrips)
            implements PoolGroup.Member {
        RemoteHost host() {
            return starter.host();
        }
    }

    private final Function<RemoteHost, HostPool> factory;
    /** Replaced whole under this lock, read without it. */
    private volatile Map<String, HostPool> pools = Map.of();
    /** Set by {@link #close}: a change of the hosts that comes later makes no pool. */
    private boolean closed;

    HostPools(Function<RemoteHost, HostPool> factory) {
        this.factory = factory;
    }

    /** Makes the pools {@code hosts} name, keeping those whose host did not change. */
    synchronized void configure(List<RemoteHost> hosts) {
        if (closed) {
            return;
        }
        Map<String, HostPool> next = new LinkedHashMap<>();
        List<HostPool> closed = new ArrayList<>();
        for (RemoteHost h : hosts) {
            HostPool kept = pools.get(h.name());
            next.put(h.name(), kept != null && kept.host().equals(h) ? kept : factory.apply(h));
        }
        for (HostPool p : pools.values()) {
            if (next.get(p.host().name()) != p) {
                closed.add(p);
            }
        }
        pools = java.util.Collections.unmodifiableMap(next);
        closed.forEach(p -> p.pool().close());
    }

    /**
     * The pool of the host named {@code nameOrLabel}, else of the host with that label that has the most free
     * slots (the first configured of equals); a {@link CallRejectedException} naming the hosts there are if none.
     */
    HostPool forCall(String nameOrLabel) {
        Map<String, HostPool> now = pools;
        HostPool named = now.get(nameOrLabel);
        if (named != null) {
            return named;
        }
        HostPool best = null;
        int bestFree = Integer.MIN_VALUE;
        for (HostPool p : now.values()) {
            int free = p.host().slots() - p.pool().children().size();
            if (p.host().labels().contains(nameOrLabel) && free > bestFree) {
                best = p;
                bestFree = free;
            }
        }
        if (best == null) {
            throw new CallRejectedException("No host named or labelled '" + nameOrLabel + "': the hosts are "
                    + (now.isEmpty() ? "none (configure them in dev.trampoline.remote.hosts)" : now.values().stream()
                    .map(p -> p.host().name() + (p.host().labels().isEmpty() ? "" : " " + p.host().labels()))
                    .toList()));
        }
        return best;
    }

    /**
     * The dispatcher of a call with {@code options} that names no host: {@code here}'s (this machine's pool, fed
     * by {@code hereDispatcher}) or a host's, as {@code placement} says. A host counts while it is connected (see
     * {@link HostStarter#contactAhead}): an unreachable one never fails a call that did not ask for it.
     */
    Dispatcher forUnnamedCall(HostPlacement placement, ChildPool here, Dispatcher hereDispatcher,
            CallOptions options) {
        Map<String, HostPool> now = pools;
        if (now.isEmpty() || placement == HostPlacement.NAMED_ONLY) {
            return hereDispatcher; // the common case, which pays for nothing
        }
        List<HostPlacement.Choice<Dispatcher>> choices = new ArrayList<>(now.size());
        for (HostPool p : now.values()) {
            choices.add(new HostPlacement.Choice<>(p.dispatcher(),
                    p.starter().connected() ? p.pool().freeSlots(options) : 0));
        }
        return placement.choose(new HostPlacement.Choice<>(hereDispatcher, here.freeSlots(options)), choices);
    }

    /**
     * The pools a bulk call with {@code options} that names no host may use, in order of preference: {@code here}
     * (this machine's pool, fed by {@code hereDispatcher}) and, as {@code placement} says, the connected hosts'.
     * With {@code local-first} this machine comes first and the hosts follow, most free slots first; with
     * {@code most-free} all of them by free slots, this machine first among equals.
     */
    List<ChunkRoutes.Target> forUnnamedBulk(HostPlacement placement, ChildPool here, Dispatcher hereDispatcher,
            CallOptions options) {
        ChunkRoutes.Target local = ChunkRoutes.Target.of(hereDispatcher);
        Map<String, HostPool> now = pools;
        if (now.isEmpty() || placement == HostPlacement.NAMED_ONLY) {
            return List.of(local);
        }
        record Ranked(ChunkRoutes.Target target, int free, boolean here) {
        }
        List<Ranked> ranked = new ArrayList<>();
        ranked.add(new Ranked(local, here.freeSlots(options), true));
        for (HostPool p : now.values()) {
            if (p.starter().connected()) {
                ranked.add(new Ranked(ChunkRoutes.Target.of(p.dispatcher()),
                        p.pool().freeSlots(options), false));
            }
        }
        java.util.Comparator<Ranked> byFree = java.util.Comparator.comparingInt(r -> -r.free());
        // A stable sort: among equals, this machine (added first), then the hosts as configured.
        ranked.sort(placement == HostPlacement.LOCAL_FIRST
                ? java.util.Comparator.<Ranked, Boolean>comparing(r -> !r.here()).thenComparing(byFree) : byFree);
        return ranked.stream().map(Ranked::target).toList();
    }

    /** Contacts, on {@code workers}, the hosts not connected yet (or again) whose backoff is over. */
    void contactAhead(java.util.concurrent.Executor workers) {
        for (HostPool p : pools.values()) {
            if (p.starter().contactDue()) {
                try {
                    workers.execute(p.starter()::contactAhead);
                } catch (java.util.concurrent.RejectedExecutionException stopping) {
                    return;
                }
            }
        }
    }

    @Override
    Collection<HostPool> all() {
        return pools.values();
    }

    /** The pool settings on {@code host}: {@code local} (this machine's), with the host's slots and no standby. */
    static PoolSettings settingsFor(PoolSettings local, RemoteHost host) {
        return new PoolSettings(0, local.idleTimeoutMillis(), local.maxCallsPerChild(), host.slots(),
                local.maxCallsInFlight(), local.queueSize(), local.moveTimeoutMillis(), local.startTimeoutMillis(),
                local.cancelGraceMillis());
    }

    /** This machine's pool settings changed to {@code local}: every host's follow, and waiting calls may fit. */
    void settingsChanged(PoolSettings local) {
        for (HostPool p : pools.values()) {
            p.pool().settings(settingsFor(local, p.host()));
            p.dispatcher().dispatch();
        }
    }

    synchronized void close() {
        closed = true;
        pools.values().forEach(p -> p.pool().close());
        pools = Map.of();
    }
}
