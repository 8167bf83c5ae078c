package dev.trampoline.runtime.remote.internal.pool;

import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.trampoline.runtime.remote.internal.process.ChildProcess;

/**
 * The calls of one bulk call, spread over up to {@code width} children at once: until it has calls on that many
 * children, each call goes to a child of its lane it has not used yet, the least busy, or to a new one while the
 * pool may start one; then to the least busy of those it uses, and while none of them has room it waits for one
 * (it never takes a further child, so {@code width} bounds the JVMs a bulk call keeps busy, fresh ones too). A
 * child counts while it runs calls of this bulk call, or takes calls and runs no cancelled one: one that retires,
 * or that a cancelled call holds up, counts no more once this bulk call's calls there are over, whatever else it
 * runs. Without it a call goes to the first child with room, which keeps all of them on one child. Owned by the
 * {@link PoolLoop}, as placements are.
 */
public final class Spread {

    private final int width;
    /** The children this bulk call placed calls on and that still count, with its calls running there. */
    private final Map<ChildProcess, Integer> running = new HashMap<>();

    /** Spread over up to {@code width} children (at least 1). */
    public Spread(int width) {
        this.width = Math.max(1, width);
    }

    /**
     * In the loop: where the next call goes among {@code withRoom} (the children of its lane with room), or null
     * when it should go to another child (a standby or new one, if the pool has room; see {@link #fallback}) or,
     * if {@link #atWidth}, wait.
     */
    ChildProcess choose(List<ChildProcess> withRoom) {
        if (!atWidth()) {
            return leastBusy(withRoom.stream().filter(c -> !running.containsKey(c)).toList());
        }
        return leastBusy(withRoom.stream().filter(running::containsKey).toList());
    }

    /**
     * In the loop: whether the bulk call has calls on as many children as it may use, so that its next call goes
     * to one of those or waits.
     */
    boolean atWidth() {
        running.entrySet().removeIf(e -> e.getValue() == 0
                && (!e.getKey().accepts() || e.getKey().cancellingCalls() > 0));
        return running.size() >= width;
    }

    /** In the loop: where the call goes when no other child can be had. */
    static ChildProcess fallback(List<ChildProcess> withRoom) {
        return leastBusy(withRoom);
    }

    /** In the loop: a call was placed on {@code child}. */
    void placedOn(ChildProcess child) {
        running.merge(child, 1, Integer::sum);
    }

    /** In the loop: a call placed on {@code child} was settled (answered, failed, timed out or cancelled). */
    void settled(ChildProcess child) {
        running.computeIfPresent(child, (c, n) -> Math.max(0, n - 1));
    }

    private static ChildProcess leastBusy(Collection<ChildProcess> children) {
        return children.stream().min(Comparator.comparingInt(ChildProcess::callsInFlight)).orElse(null);
    }
}
