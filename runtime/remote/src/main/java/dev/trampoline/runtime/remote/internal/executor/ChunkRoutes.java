package dev.trampoline.runtime.remote.internal.executor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.util.promise.Promise;

import dev.trampoline.runtime.remote.internal.pool.Dispatcher;
import dev.trampoline.runtime.remote.internal.pool.Spread;

/**
 * Where one bulk call's chunks go: over the pools it may use (this machine's, and hosts' when the placement sends
 * calls that name no host there), in order of preference, each taking a share of the bulk call's parallelism no
 * larger than its own most children: the first as much as it may run, the next the rest, and so on. Each pool's
 * share bounds the children the bulk call keeps busy there ({@link Spread}, one per pool, owned by that pool's
 * loop), so the parallelism bounds them all. A chunk goes to the pool with the fewest chunks unanswered for its
 * share (the first among equals): a pool that answers sooner gets more of them.
 */
final class ChunkRoutes {

    /** A pool a bulk call may use: its dispatcher, and the most children it runs. */
    record Target(Dispatcher dispatcher, int maxChildren) {
        /** {@code dispatcher}'s pool, with its most children now. */
        static Target of(Dispatcher dispatcher) {
            return new Target(dispatcher, dispatcher.maxChildren());
        }
    }

    /** One pool the chunks go to, with its share. */
    private record Route(Dispatcher dispatcher, int share, Spread spread, AtomicInteger unanswered) {
    }

    private final List<Route> routes;
    private final int parallelism;

    private ChunkRoutes(List<Route> routes, int parallelism) {
        this.routes = routes;
        this.parallelism = parallelism;
    }

    /**
     * Routes over {@code targets} (in order of preference, at least one) for a parallelism of {@code requested}
     * children (0 or less: as many as the targets run together).
     */
    static ChunkRoutes over(List<Target> targets, int requested) {
        int all = targets.stream().mapToInt(t -> Math.max(1, t.maxChildren())).sum();
        int parallelism = requested > 0 ? requested : all;
        List<Route> routes = new ArrayList<>();
        int left = parallelism;
        for (Target t : targets) {
            if (left == 0) {
                break;
            }
            int share = Math.min(left, Math.max(1, t.maxChildren()));
            routes.add(new Route(t.dispatcher(), share, new Spread(share), new AtomicInteger()));
            left -= share;
        }
        if (left > 0) { // more asked for than all of them run: the first pool's share is the rest too
            Route first = routes.get(0);
            routes.set(0, new Route(first.dispatcher(), first.share() + left, new Spread(first.share() + left),
                    first.unanswered()));
        }
        return new ChunkRoutes(List.copyOf(routes), parallelism);
    }

    /** The bulk call's parallelism: the children it keeps busy at most, over all its pools. */
    int parallelism() {
        return parallelism;
    }

    /** How many pools its chunks go to. */
    int pools() {
        return routes.size();
    }

    /**
     * Sends a chunk with {@code submit} to the pool whose share has the fewest chunks unanswered, and counts it
     * there until {@code submit}'s promise resolves.
     */
    Promise<Object> send(Send submit) {
        Route best = routes.get(0);
        for (Route r : routes) {
            // r.unanswered / r.share < best.unanswered / best.share, without dividing
            if ((long) r.unanswered().get() * best.share() < (long) best.unanswered().get() * r.share()) {
                best = r;
            }
        }
        Route chosen = best;
        chosen.unanswered().incrementAndGet();
        Promise<Object> chunk = submit.to(chosen.dispatcher(), chosen.spread());
        chunk.onResolve(chosen.unanswered()::decrementAndGet);
        return chunk;
    }

    /** Cancels {@code chunk} in whichever pool has it. */
    void cancel(Promise<?> chunk) {
        for (Route r : routes) {
            if (r.dispatcher().cancel(chunk)) {
                return;
            }
        }
    }

    /** How a chunk is handed to a pool: its dispatcher, and the bulk call's spread over that pool's children. */
    interface Send {
        Promise<Object> to(Dispatcher dispatcher, Spread spread);
    }
}
