package dev.trampoline.runtime.remote.internal.snapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.startlevel.BundleStartLevel;

/**
 * What a child does with each bundle of the parent: starts it (lazily if the parent started it with its
 * activation policy), or installs it only, so that its classes load there but its activator and components
 * never run. A bundle is only installed in children when the parent does not run it, when its manifest says
 * {@value #HEADER}{@code : resolve}, or when its symbolic name matches {@value #PROPERTY} (comma-separated
 * names, {@code *} matching any characters), whose default names servers that must not run twice.
 */
public final class ChildStartPolicy {

    public static final String HEADER = "Trampoline-Child";
    public static final String PROPERTY = "trampoline.child.resolve";
    /** Felix HTTP (its Jetty opens the port the parent has) and the Web Console with its plugins. */
    public static final String DEFAULT = "org.apache.felix.http.jetty*,org.apache.felix.webconsole*";

    /** What a child does with one bundle, and why (in words for {@code tramp:bundleset}). */
    public record Decision(boolean start, boolean lazy, String reason) {
    }

    /** Whether a decision's {@code reason} is this policy holding back a bundle the parent runs. */
    public static boolean heldBack(String reason) {
        return reason.startsWith(INSTALL + HEADER) || reason.startsWith(INSTALL + PROPERTY);
    }

    private static final String INSTALL = "install: ";
    private final List<String> globs = new ArrayList<>();
    private final List<Pattern> patterns = new ArrayList<>();

    /** The policy for the value of {@value #PROPERTY} ({@code null}: the default). */
    public ChildStartPolicy(String resolveOnly) {
        for (String glob : (resolveOnly == null ? DEFAULT : resolveOnly).split(",")) {
            glob = glob.strip();
            if (!glob.isEmpty()) {
                globs.add(glob);
                patterns.add(Pattern.compile(Pattern.quote(glob).replace("*", "\\E.*\\Q")));
            }
        }
    }

    /**
     * The decision for {@code b}. {@code inChild}: this runtime is itself a child, which starts its bundles
     * transiently; elsewhere only persistently started bundles count (the shell's terminal bundle is started
     * for one run, and belongs to the parent's terminal).
     */
    public Decision decide(Bundle b, boolean inChild) {
        if (b.getHeaders("").get(Constants.FRAGMENT_HOST) != null) {
            return new Decision(false, false, "fragment");
        }
        BundleStartLevel sl = b.adapt(BundleStartLevel.class);
        boolean running = b.getState() == Bundle.ACTIVE || b.getState() == Bundle.STARTING;
        if (!running) {
            return new Decision(false, false, "install: not started in the parent");
        }
        if (!(inChild || sl.isPersistentlyStarted())) {
            return new Decision(false, false, "install: started in the parent for this run only (transiently)");
        }
        String header = b.getHeaders("").get(HEADER);
        if (header != null && header.strip().equalsIgnoreCase("resolve")) {
            return new Decision(false, false, INSTALL + HEADER + ": resolve");
        }
        String name = b.getSymbolicName();
        for (int i = 0; name != null && i < patterns.size(); i++) {
            if (patterns.get(i).matcher(name).matches()) {
                return new Decision(false, false, INSTALL + PROPERTY + " " + globs.get(i));
            }
        }
        boolean lazy = sl.isActivationPolicyUsed() && Constants.ACTIVATION_LAZY.equals(
                String.valueOf(b.getHeaders("").get(Constants.BUNDLE_ACTIVATIONPOLICY)).split(";")[0].strip());
        return new Decision(true, lazy, lazy ? "start (lazy)" : "start");
    }
}
