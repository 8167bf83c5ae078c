package dev.trampoline.runtime.remote.internal.shell;

import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.util.promise.Promise;

import dev.trampoline.runtime.remote.CallOptions;
import dev.trampoline.runtime.remote.RemoteException;
import dev.trampoline.runtime.remote.internal.child.ChildProcess;
import dev.trampoline.runtime.remote.internal.child.ProcessMemory;
import dev.trampoline.runtime.remote.internal.child.RemoteExecutorImpl;
import dev.trampoline.runtime.remote.internal.snapshot.BundleEntry;
import dev.trampoline.runtime.remote.internal.snapshot.BundleSetTracker;
import dev.trampoline.runtime.remote.internal.snapshot.BundleSnapshot;
import dev.trampoline.runtime.remote.internal.snapshot.SnapshotException;

/** {@code tramp:call}, {@code tramp:children}, {@code tramp:kill}, {@code tramp:bundleset}. */
@Component(service = RemoteCommands.class, property = {
    "osgi.command.scope=tramp",
    "osgi.command.function=call",
    "osgi.command.function=children",
    "osgi.command.function=kill",
    "osgi.command.function=bundleset",
    "osgi.command.function=spawn"
})
public final class RemoteCommands {

    @Reference
    private RemoteExecutorImpl executor;

    @Reference
    private BundleSetTracker bundleSet;

    private BundleContext context;

    @Activate
    void activate(BundleContext context) {
        this.context = context;
    }

    @Descriptor("runs a service method in a child JVM and prints the result and the child's pid")
    public String call(
            @Descriptor("run in a new child used for this call only")
            @Parameter(names = "--fresh", presentValue = "true", absentValue = "false") boolean fresh,
            @Descriptor("time limit in milliseconds (0: none); the child is killed when it passes")
            @Parameter(names = "--timeout", absentValue = "0") long timeoutMillis,
            @Descriptor("on failure, also print the remote stack and where the call was made")
            @Parameter(names = {"-v", "--verbose"}, presentValue = "true", absentValue = "false") boolean verbose,
            @Descriptor("an interface name, or an LDAP filter such as (objectClass=com.example.Api)") String service,
            @Descriptor("the method to call") String method,
            @Descriptor("its arguments, converted to the method's parameter types") String... args)
            throws Exception {
        ServiceReference<?> ref = find(service);
        Object local = context.getService(ref);
        Object[] converted;
        try {
            converted = ArgumentConverter.convert(local.getClass(), method, Arrays.asList(args)).arguments();
        } finally {
            context.ungetService(ref);
        }
        CallOptions options = CallOptions.DEFAULT.withFresh(fresh);
        if (timeoutMillis > 0) {
            options = options.withTimeout(Duration.ofMillis(timeoutMillis));
        }
        AtomicLong pid = new AtomicLong(-1);
        Promise<Object> result = executor.invoke(ref, method, converted, options, pid::set);
        try {
            Object value = result.getValue();
            return String.valueOf(value) + System.lineSeparator() + "(computed by child pid " + pid.get() + ")";
        } catch (InvocationTargetException e) {
            throw failed(e.getCause(), verbose);
        } catch (InterruptedException e) {
            // Ctrl-C in the shell: Gogo interrupts the thread running the command, and the call goes with it. The
            // shell discards what an interrupted command returns (it shows its own InterruptedException): say it
            // here, on the command's output.
            System.out.println(cancelled(executor.cancel(result), pid.get()));
            System.out.flush();
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** What an interrupted call prints: it was cancelled (the child, if any, interrupts it), or it had ended. */
    static String cancelled(boolean cancelled, long pid) {
        if (!cancelled) {
            return "Interrupted; the call had already ended";
        }
        return pid < 0 ? "Cancelled while it waited for a child JVM"
                : "Cancelled; child pid " + pid + " was told to interrupt the call";
    }

    /**
     * What a failed call shows: the exception's class (the remote class, for a stand-in) and message, and with
     * {@code verbose} its stacks; the exception itself is the cause, for Gogo's {@code e}.
     */
    static Exception failed(Throwable cause, boolean verbose) {
        String what = cause instanceof RemoteException ? cause.getMessage() : cause.toString();
        if (!verbose) {
            return new Exception(what + " (tramp:call -v shows its stacks)", cause);
        }
        java.io.StringWriter stack = new java.io.StringWriter();
        cause.printStackTrace(new java.io.PrintWriter(stack));
        return new Exception(what + System.lineSeparator() + stack.toString().stripTrailing(), cause);
    }

    private ServiceReference<?> find(String service) throws InvalidSyntaxException {
        ServiceReference<?>[] refs = service.startsWith("(")
                ? context.getServiceReferences((String) null, service)
                : context.getServiceReferences(service, null);
        if (refs == null || refs.length == 0) {
            throw new IllegalArgumentException("No service " + service + " is registered");
        }
        Arrays.sort(refs);
        return refs[refs.length - 1]; // highest ranking, as getServiceReference would choose
    }

    @Descriptor("lists the child JVMs: pid, snapshot, state, calls, uptime, resident memory")
    public String children(
            @Descriptor("also show each child's start phases and in-place moves")
            @Parameter(names = {"-v", "--verbose"}, presentValue = "true", absentValue = "false") boolean verbose) {
        List<ChildProcess> children = executor.pool().children();
        long spare = executor.pool().sparePid();
        String spareLine = spare < 0 ? "" : "Spare JVM " + spare + ": started ahead, it becomes the next new child"
                + " with the default JVM options" + System.lineSeparator();
        if (children.isEmpty()) {
            return spareLine + "No child JVMs are running.";
        }
        StringBuilder out = new StringBuilder(String.format("%8s  %-12s  %-8s  %6s  %9s  %9s  %8s%n", "PID",
                "SNAPSHOT", "STATE", "CALLS", "IN-FLIGHT", "UPTIME", "RSS"));
        for (ChildProcess c : children) {
            long rss = ProcessMemory.residentKiB(c.pid());
            out.append(String.format("%8d  %-12s  %-8s  %6d  %9d  %8ds  %8s%n", c.pid(),
                    c.snapshotHash().substring(0, 12),
                    c.state() == ChildProcess.State.READY && !c.used() ? "STANDBY" : c.state().toString(),
                    c.callsServed(), c.callsInFlight(),
                    c.uptime().toSeconds(), rss < 0 ? "?" : (rss / 1024) + " MiB"));
            if (verbose && c.readyReport() != null) {
                out.append("          started: ").append(c.readyReport()).append(System.lineSeparator());
            }
            if (verbose && c.moves() > 0) {
                out.append("          moved in place to a new bundle set ").append(c.moves())
                        .append(c.moves() == 1 ? " time" : " times").append(System.lineSeparator());
            }
        }
        return out.append(spareLine).toString();
    }

    @Descriptor("starts standby children now and keeps that many ready for the current bundle set")
    public String spawn(@Descriptor("how many standby children to keep") int count) throws Exception {
        executor.prestart(count);
        return "Keeping " + executor.pool().standby() + " standby child(ren); see tramp:children";
    }

    @Descriptor("kills a child JVM; its calls fail")
    public String kill(@Descriptor("the child's pid") long pid) {
        if (!executor.pool().kill(pid)) {
            throw new IllegalArgumentException("No child with pid " + pid + " (see tramp:children)");
        }
        return "Killed child " + pid;
    }

    @Descriptor("prints the bundle set a child would run now, and its hash")
    public String bundleset() throws SnapshotException {
        BundleSnapshot s = bundleSet.snapshot();
        StringBuilder out = new StringBuilder("Bundle set " + s.hash() + System.lineSeparator());
        out.append(String.format("%4s  %-44s  %-20s  %-12s  %-11s  %s%n", "ID", "SYMBOLIC NAME", "VERSION", "SHA-256",
                "STATE", "CHILD"));
        for (BundleEntry b : s.bundles()) {
            out.append(String.format("%4d  %-44s  %-20s  %-12s  %-11s  %s%n", b.parentId(), b.symbolicName(),
                    b.version(), b.sha256().substring(0, 12), b.state(),
                    b.childRole()));
        }
        s.frameworkProperties().forEach((k, v) -> {
            if (!k.equals("org.osgi.framework.system.packages")) { // long, and always the JDK's: not news
                out.append(k).append(" = ").append(v).append(System.lineSeparator());
            }
        });
        return out.toString();
    }
}
