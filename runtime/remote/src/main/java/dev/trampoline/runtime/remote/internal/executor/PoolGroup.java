package dev.trampoline.runtime.remote.internal.executor;

import java.io.IOException;
import java.util.Collection;

import org.osgi.util.promise.Promise;

import dev.trampoline.runtime.remote.internal.pool.ChildPool;
import dev.trampoline.runtime.remote.internal.pool.Dispatcher;

/**
 * Pools kept beside the runtime's own, each with its own pool and dispatcher (one per other host, one per other
 * JDK), which follow what the runtime's pool follows: the bundle set, the configurations, retirement, kills and
 * cancels.
 *
 * @param <P> one pool of the group
 */
abstract class PoolGroup<P extends PoolGroup.Member> {

    /** One pool of a group: the pool and the dispatcher that feeds it. */
    interface Member {
        ChildPool pool();

        Dispatcher dispatcher();
    }

    /** The group's pools now. */
    abstract Collection<P> all();

    /** The bundle set changed: every pool follows it (see {@link Dispatcher#bundleSetChanged}). */
    final void bundleSetChanged(Dispatcher.Target target) {
        all().forEach(p -> p.dispatcher().bundleSetChanged(target));
    }

    /** Every pool's children that were idle too long or served their calls retire. */
    final void retireIdleAndWornOut() {
        all().forEach(p -> p.pool().retireIdleAndWornOut());
    }

    /** A configuration changed: every pool's children get them all (see {@link ChildPool#configurationsChanged}). */
    final void configurationsChanged() throws IOException {
        for (P p : all()) {
            p.pool().configurationsChanged();
        }
    }

    /** Kills the child of a pool of the group whose (local) pid is {@code pid}; false if none has it. */
    final boolean kill(long pid) {
        return all().stream().anyMatch(p -> p.pool().kill(pid));
    }

    /** Cancels a call running or waiting in a pool of the group; false if none has it unsettled. */
    final boolean cancel(Promise<?> call) {
        return all().stream().anyMatch(p -> p.dispatcher().cancel(call));
    }
}
