package dev.trampoline.runtime.remote.internal.executor;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.LongConsumer;

import org.osgi.framework.ServiceReference;
import org.osgi.util.promise.Promise;

import dev.trampoline.runtime.remote.CallOptions;
import dev.trampoline.runtime.remote.RemoteExecutor;
import dev.trampoline.runtime.remote.internal.snapshot.SnapshotException;

/**
 * What the shell ({@code tramp:} commands) may do with the remote executor beyond its API: see and kill children,
 * keep standby ones, and learn which child runs a call. Registered by the executor component; internal, never
 * exported.
 */
public interface ExecutorAdmin {

    /** {@link RemoteExecutor#invoke}, telling {@code chosen} which child runs the call (the shell prints its pid). */
    Promise<Object> invoke(ServiceReference<?> reference, String method, Object[] arguments, CallOptions options,
            LongConsumer chosen);

    /** {@link RemoteExecutor#cancel}. */
    boolean cancel(Promise<?> call);

    /** The child JVMs running now, as they are at this moment. */
    List<ChildSummary> children();

    /** The pid of the spare JVM, or -1 if none is running. */
    long sparePid();

    /** Keeps at least {@code count} standby children for the current bundle set, starting them now. */
    void prestart(int count) throws SnapshotException, IOException;

    /** How many standby children the pool keeps. */
    int standby();

    /** Kills the child with {@code pid}; its calls fail. Returns false if there is no such child. */
    boolean kill(long pid);

    /**
     * One child JVM as {@code tramp:children} lists it.
     *
     * @param pid its process id
     * @param snapshotHash the hash of the bundle set it runs
     * @param state {@code STARTING}, {@code STANDBY} (ready, never used), {@code READY}, {@code CANCELLING}
     *        (ready, running a cancelled call whose answer has not come), {@code RETIRING} or {@code DEAD}
     * @param callsServed calls it answered
     * @param callsInFlight calls it runs now, cancelled ones that have not answered included
     * @param uptime how long since its JVM started
     * @param readyReport its start phases, once it is ready (else null)
     * @param moves how often it moved in place to another bundle set
     * @param host the host it runs on, as the hosts configuration names it (null: this machine); its pid is then
     *        that of the ssh client that connects it
     * @param jdk the feature version of the JDK it runs on (17, 25...); 0 while not known (a host not contacted)
     */
    record ChildSummary(long pid, String snapshotHash, String state, long callsServed, int callsInFlight,
            Duration uptime, String readyReport, int moves, String host, int jdk) {
    }

    /** The hosts children may run on besides this machine, as they are now. */
    List<HostSummary> hosts();

    /**
     * One host as {@code tramp:hosts} lists it.
     *
     * @param host its name, address and slots
     * @param state whether it was contacted, its JDK, or why it could not be
     * @param children how many of its children the pool holds now
     * @param callRoundTripMicros the median round trip of its children's recent warm calls, from a call's frame
     *        written to its answer read, in microseconds; -1 while no warm call was answered there
     * @param callsTimed how many calls that median is of (at most {@link
     *        dev.trampoline.runtime.remote.internal.process.RoundTrips#WINDOW})
     * @param contactMillis how long its last contact took (a login, a short script and {@code java -version}:
     *        not what a call costs); -1 while it is not contacted
     */
    record HostSummary(String host, String state, int children, long callRoundTripMicros, int callsTimed,
            long contactMillis) {
    }
}
