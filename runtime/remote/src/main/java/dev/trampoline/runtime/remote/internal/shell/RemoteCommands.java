package dev.trampoline.runtime.remote.internal.shell;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.util.promise.Promise;

import dev.trampoline.runtime.remote.CallOptions;
import dev.trampoline.runtime.remote.RemoteServiceException;
import dev.trampoline.runtime.internal.shell.interrupt.ShellInterrupts;
import dev.trampoline.runtime.remote.internal.executor.ExecutorAdmin;
import dev.trampoline.runtime.remote.internal.executor.ExecutorAdmin.ChildSummary;
import dev.trampoline.runtime.remote.internal.snapshot.BundleEntry;
import dev.trampoline.runtime.remote.internal.snapshot.BundleSetTracker;
import dev.trampoline.runtime.remote.internal.snapshot.BundleSnapshot;
import dev.trampoline.runtime.remote.internal.snapshot.SnapshotException;

/**
 * {@code tramp:call} (and {@code tramp:candidates}, for its Tab completion), {@code tramp:children},
 * {@code tramp:kill}, {@code tramp:bundleset}, {@code tramp:spawn}, {@code tramp:hosts}.
 */
@Component(service = RemoteCommands.class, property = {
    "osgi.command.scope=tramp",
    "osgi.command.function=call",
    "osgi.command.function=children",
    "osgi.command.function=kill",
    "osgi.command.function=bundleset",
    "osgi.command.function=spawn",
    "osgi.command.function=hosts",
    "osgi.command.function=candidates"
})
public final class RemoteCommands {

    /** A child's pid on its own host, in what it reported when it became ready. */
    private static final Pattern REMOTE_PID = Pattern.compile("pid=(\\d+)");

    @Reference
    private ExecutorAdmin executor;

    @Reference
    private BundleSetTracker bundleSet;

    private BundleContext context;

    @Activate
    void activate(BundleContext context) {
        this.context = context;
    }

    /** What {@code help tramp:call} shows under the command's name: what it does, how to name a service, examples. */
    static final String CALL_HELP = "runs a service method in a child JVM and prints the result and the child's pid"
            + "\n   SERVICE is an interface name, its simple name when only one registered interface has it,"
            + "\n   or an LDAP filter. Quote a filter: the shell takes an unquoted * for a file pattern"
            + "\n   (\"no matches found: *Primes\") and an unquoted (...) for a command."
            + "\n   Tab completes SERVICE with the registered interfaces, then METHOD with its methods."
            + "\n   examples:"
            + "\n      tramp:call dev.trampoline.examples.greeter.Greeter greet World"
            + "\n      tramp:call Greeter greet World"
            + "\n      tramp:call '(objectClass=*Primes)' countBelow 1000000"
            + "\n      tramp:call --fresh --timeout 5000 Primes countBelow 1000000"
            + "\n      tramp:call --host build1 Greeter greet World   (a host of tramp:hosts)"
            + "\n      tramp:call --java /usr/lib/jvm/temurin-25-jdk-amd64 Greeter greet World";

    @Descriptor(CALL_HELP)
    public String call(CommandSession session,
            @Descriptor("run in a new child used for this call only")
            @Parameter(names = "--fresh", presentValue = "true", absentValue = "false") boolean fresh,
            @Descriptor("TIMEOUT: time limit in milliseconds (0: none); the child is killed when it passes")
            @Parameter(names = "--timeout", absentValue = "0") long timeoutMillis,
            @Descriptor("on failure, also print the remote stack and where the call was made")
            @Parameter(names = {"-v", "--verbose"}, presentValue = "true", absentValue = "false") boolean verbose,
            @Descriptor("HOST: run on this host (see tramp:hosts) instead of this machine")
            @Parameter(names = "--host", absentValue = "") String host,
            @Descriptor("HOME: run the child on the JDK in this folder (the one with bin/java) instead of the"
                    + " runtime's")
            @Parameter(names = "--java", absentValue = "") String javaHome,
            @Descriptor("SERVICE: an interface name (com.example.Api), its simple name (Api), or a quoted LDAP"
                    + " filter ('(objectClass=*Api)')") String service,
            @Descriptor("METHOD: the name of the public method to call") String method,
            @Descriptor("ARGS: the method's arguments, each converted to its parameter's type") String... args)
            throws Exception {
        ServiceReference<?> ref = find(service);
        Object local = context.getService(ref);
        Object[] converted;
        try {
            converted = ArgumentConverter.convert(local.getClass(), method, Arrays.asList(args)).arguments();
        } finally {
            context.ungetService(ref);
        }
        CallOptions options = CallOptions.DEFAULT.withFresh(fresh).withHost(host.isEmpty() ? null : host)
                .withJavaHome(javaHome.isEmpty() ? null : javaHome);
        if (timeoutMillis > 0) {
            options = options.withTimeout(Duration.ofMillis(timeoutMillis));
        }
        AtomicLong pid = new AtomicLong(-1);
        CallOptions callOptions = options;
        // Ctrl-C is this command's from before the call is sent: the call may start in its child (and a user
        // press Ctrl-C) before this thread reaches its wait, and Gogo's own handler would then take the signal.
        return ShellInterrupts.run(session, () -> {
            Promise<Object> result = executor.invoke(ref, method, converted, callOptions, pid::set);
            try {
                Object value = result.getValue();
                return String.valueOf(value) + System.lineSeparator() + computedBy(pid.get());
            } catch (InvocationTargetException e) {
                throw failed(e.getCause(), verbose);
            } catch (InterruptedException e) {
                // Ctrl-C in the shell interrupts this thread alone (ShellInterrupts), not Gogo's job: the call is
                // cancelled, and what the command returns is printed as any result is.
                return cancelled(executor.cancel(result), pid.get());
            }
        });
    }

    /**
     * Which child computed a call: its pid, and for a child on another host, that host (the one a label chose),
     * its pid there, and the local pid of what connects it (its ssh or srun), which {@code tramp:children} and
     * {@code tramp:kill} use.
     */
    private String computedBy(long pid) {
        ChildSummary child = executor.children().stream().filter(c -> c.pid() == pid).findFirst().orElse(null);
        if (child == null || child.host() == null) {
            return "(computed by child pid " + pid + ")";
        }
        Matcher there = REMOTE_PID.matcher(String.valueOf(child.readyReport()));
        return "(computed by child pid " + (there.find() ? there.group(1) : "?") + " on host " + child.host()
                + ", local pid " + pid + ")";
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
        String what = cause instanceof RemoteServiceException ? cause.getMessage() : cause.toString();
        if (!verbose) {
            return new CallFailure(what + " (tramp:call -v shows its stacks)", cause);
        }
        java.io.StringWriter stack = new java.io.StringWriter();
        cause.printStackTrace(new java.io.PrintWriter(stack));
        return new CallFailure(what + System.lineSeparator() + stack.toString().stripTrailing(), cause);
    }

    /**
     * A failed call as the shell shows it: the terminal shell prints a command's exception as its
     * {@code toString()}, which would put {@code java.lang.Exception:} before a message that already names the
     * call's own exception.
     */
    static final class CallFailure extends Exception {
        private static final long serialVersionUID = 1L;

        CallFailure(String message, Throwable cause) {
            super(message, cause);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }

    private ServiceReference<?> find(String service) throws InvalidSyntaxException {
        ServiceReference<?>[] refs = service.startsWith("(")
                ? context.getServiceReferences((String) null, service)
                : context.getServiceReferences(service, null);
        if ((refs == null || refs.length == 0) && !service.startsWith("(") && service.indexOf('.') < 0) {
            refs = bySimpleName(service);
        }
        if (refs == null || refs.length == 0) {
            throw new IllegalArgumentException("No service " + service + " is registered"
                    + (service.startsWith("(") ? "" : "; name its interface, its simple name, or give a quoted"
                    + " filter such as '(objectClass=*" + simpleName(service) + ")' (help tramp:call)"));
        }
        Arrays.sort(refs);
        return refs[refs.length - 1]; // highest ranking, as getServiceReference would choose
    }

    /**
     * The services registered under the one interface whose simple name is {@code name}; none when no
     * interface has it; an error naming them when several do.
     */
    private ServiceReference<?>[] bySimpleName(String name) throws InvalidSyntaxException {
        SortedSet<String> interfaces = new TreeSet<>();
        for (String i : registeredInterfaces()) {
            if (simpleName(i).equals(name)) {
                interfaces.add(i);
            }
        }
        if (interfaces.size() > 1) {
            throw new IllegalArgumentException("Several service interfaces are named " + name + ": "
                    + String.join(", ", interfaces) + "; give the full name");
        }
        return interfaces.isEmpty() ? null : context.getServiceReferences(interfaces.first(), null);
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    /** Every interface (objectClass value) a service is registered under now, sorted. */
    SortedSet<String> registeredInterfaces() throws InvalidSyntaxException {
        SortedSet<String> names = new TreeSet<>();
        ServiceReference<?>[] all = context.getAllServiceReferences(null, null);
        if (all != null) {
            for (ServiceReference<?> r : all) {
                Object classes = r.getProperty(Constants.OBJECTCLASS);
                if (classes instanceof String[] interfaces) {
                    names.addAll(Arrays.asList(interfaces));
                }
            }
        }
        return names;
    }

    @Descriptor("what Tab offers for the word at INDEX of a tramp:call line: the registered service interfaces,"
            + " then the methods of the service named; the shell's completion calls it")
    public List<String> candidates(
            @Descriptor("INDEX: the position of the word being completed (0: the command)") int index,
            @Descriptor("WORDS: the words of the line") List<String> words) throws InvalidSyntaxException {
        List<String> positional = new ArrayList<>();
        for (int i = 1; i < index && i < words.size(); i++) {
            String w = words.get(i);
            if (w.equals("--timeout") || w.equals("--host") || w.equals("--java")) {
                if (++i == index) {
                    // Its value, a number. (ArrayLists throughout: Gogo calls a result's methods by reflection,
                    // which the JDK's immutable lists refuse.)
                    return new ArrayList<>();
                }
            } else if (!w.startsWith("-")) {
                positional.add(w);
            }
        }
        if (positional.isEmpty()) {
            return new ArrayList<>(offeredInterfaces());
        }
        if (positional.size() == 1) {
            try {
                return methodNames(find(positional.get(0)));
            } catch (RuntimeException | InvalidSyntaxException e) {
                return new ArrayList<>(); // no such service (yet), or a filter half typed: nothing to offer
            }
        }
        return new ArrayList<>();
    }

    /**
     * What Tab offers as SERVICE: the names services are registered under that are interfaces (a service
     * registered under its class, as the shell's own commands are, is not something to call in a child), less
     * what {@link #isOfferedForCompletion} leaves out.
     */
    private SortedSet<String> offeredInterfaces() throws InvalidSyntaxException {
        SortedSet<String> names = new TreeSet<>();
        ServiceReference<?>[] all = context.getAllServiceReferences(null, null);
        for (ServiceReference<?> r : all == null ? new ServiceReference<?>[0] : all) {
            if (r.getProperty(Constants.OBJECTCLASS) instanceof String[] interfaces) {
                for (String name : interfaces) {
                    if (!names.contains(name) && isOfferedForCompletion(name) && isInterface(r, name)) {
                        names.add(name);
                    }
                }
            }
        }
        return names;
    }

    private static boolean isInterface(ServiceReference<?> ref, String name) {
        try {
            return ref.getBundle().loadClass(name).isInterface();
        } catch (ClassNotFoundException | NullPointerException | IllegalStateException e) {
            return false; // unregistered meanwhile, or not visible to its own bundle: nothing to offer
        }
    }

    /**
     * Whether Tab offers {@code name} as SERVICE: not {@code java.lang.Object} (what a service registered under its
     * class alone may show) nor a class of an {@code internal} or {@code impl} package, which no caller names.
     * Either can still be typed.
     */
    static boolean isOfferedForCompletion(String name) {
        return !name.equals(Object.class.getName()) && !name.contains(".internal.") && !name.contains(".impl.");
    }

    /** The public methods of the interfaces {@code ref} is registered under, sorted, each name once. */
    private static List<String> methodNames(ServiceReference<?> ref) {
        SortedSet<String> names = new TreeSet<>();
        for (String name : (String[]) ref.getProperty(Constants.OBJECTCLASS)) {
            try {
                for (Method m : ref.getBundle().loadClass(name).getMethods()) {
                    if (m.getDeclaringClass() != Object.class) {
                        names.add(m.getName());
                    }
                }
            } catch (ClassNotFoundException | NullPointerException e) {
                // unregistered meanwhile, or not visible to its own bundle: nothing to offer for it
            }
        }
        return new ArrayList<>(names);
    }

    @Descriptor("lists the child JVMs: pid, snapshot, state, calls, uptime, resident memory, JDK, host"
            + "\n   examples: tramp:children, tramp:children -v")
    public String children(
            @Descriptor("also show each child's start phases and in-place moves")
            @Parameter(names = {"-v", "--verbose"}, presentValue = "true", absentValue = "false") boolean verbose) {
        List<ChildSummary> children = executor.children();
        long spare = executor.sparePid();
        String spareLine = spare < 0 ? "" : "Spare JVM " + spare + ": started ahead, it becomes the next new child"
                + " with the default JVM options" + System.lineSeparator();
        if (children.isEmpty()) {
            return ("No child JVMs are running." + System.lineSeparator() + spareLine).stripTrailing();
        }
        StringBuilder out = new StringBuilder(String.format("%8s  %-12s  %-10s  %6s  %9s  %9s  %8s  %3s  %s%n",
                "PID", "SNAPSHOT", "STATE", "CALLS", "IN-FLIGHT", "UPTIME", "RSS", "JDK", "HOST"));
        for (ChildSummary c : children) {
            // A child on another host is listed by the pid of its ssh client, whose memory is not the child's.
            long rss = c.host() == null ? ProcessMemory.residentKiB(c.pid()) : -1;
            out.append(String.format("%8d  %-12s  %-10s  %6d  %9d  %8ds  %8s  %3s  %s%n", c.pid(),
                    c.snapshotHash().substring(0, 12),
                    c.state(),
                    c.callsServed(), c.callsInFlight(),
                    c.uptime().toSeconds(), rss < 0 ? "?" : (rss / 1024) + " MiB",
                    c.jdk() == 0 ? "?" : Integer.toString(c.jdk()),
                    c.host() == null ? "local" : c.host()));
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

    @Descriptor("lists the hosts children may run on besides this machine: name, address, slots, state, children,"
            + "\n   the median round trip of the host's last warm calls (from a call sent to its answer read; '-'"
            + "\n   before one), and how long the host's contact took (an ssh login and java -version)"
            + "\n   Hosts are configured in deploy/dev.trampoline.remote.hosts.cfg, one line per field:"
            + "\n      build1.address = build1.example.org   (ssh destination; an alias of ~/.ssh/config works)"
            + "\n      build1.slots = 4                     (also user, port, java, work, sshConfig, labels)"
            + "\n   then: tramp:call --host build1 SERVICE METHOD ARGS\n   example: tramp:hosts")
    public String hosts() {
        List<ExecutorAdmin.HostSummary> hosts = executor.hosts();
        if (hosts.isEmpty()) {
            return "No hosts are configured: children run on this machine only. A dev.trampoline.remote.hosts.cfg"
                    + " in the deploy folder adds some (see the remote module's README).";
        }
        StringBuilder out = new StringBuilder();
        for (ExecutorAdmin.HostSummary h : hosts) {
            out.append(h.host()).append(": ").append(h.state()).append("; ").append(h.children())
                    .append(h.children() == 1 ? " child" : " children").append("; call round trip ")
                    .append(h.callsTimed() == 0 ? "-" : millis(h.callRoundTripMicros()) + (h.callsTimed() == 1
                            ? " (1 warm call)" : " (median of the last " + h.callsTimed() + " warm calls)"))
                    .append(h.contactMillis() < 0 ? "" : "; contact " + h.contactMillis()
                            + " ms (login, java -version)")
                    .append(System.lineSeparator());
        }
        return out.toString().stripTrailing();
    }

    /** {@code micros} in milliseconds, to a tenth below 100 ms: an ssh round trip is a few. */
    static String millis(long micros) {
        return micros < 100_000 ? String.format(Locale.ROOT, "%.1f ms", micros / 1000.0) : (micros / 1000) + " ms";
    }

    @Descriptor("starts standby children now and keeps that many ready for the current bundle set"
            + "\n   example: tramp:spawn 2")
    public String spawn(@Descriptor("COUNT: how many standby children to keep ready") int count) throws Exception {
        executor.prestart(count);
        return "Keeping " + executor.standby() + " standby child(ren); see tramp:children";
    }

    @Descriptor("kills a child JVM; its calls fail\n   example: tramp:kill 12345 (a pid from tramp:children)")
    public String kill(@Descriptor("PID: the child's process id, as tramp:children lists it") long pid) {
        if (!executor.kill(pid)) {
            throw new IllegalArgumentException("No child with pid " + pid + " (see tramp:children)");
        }
        return "Killed child " + pid;
    }

    @Descriptor("prints the bundle set a child would run now, and its hash\n   example: tramp:bundleset")
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
