package dev.trampoline.runtime.internal.shell;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.ReferenceDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

import dev.trampoline.runtime.deploy.DeployService;
import dev.trampoline.runtime.deploy.DeployedArtifact;

/**
 * {@code tramp:diag BUNDLE} (Karaf's {@code bundle:diag}): why a bundle is not active or a component of it not
 * satisfied, in one command: its state, what the resolver misses, what SCR waits for, and the last error the
 * hot deployer recorded for its file.
 */
@Component(service = DiagCommand.class, property = {
    "osgi.command.scope=tramp",
    "osgi.command.function=diag"
})
public final class DiagCommand {

    /** DS 1.5: the reference every component has to the condition that must hold for it to be satisfied. */
    static final String SATISFYING_CONDITION = "osgi.ds.satisfying.condition";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ServiceComponentRuntime scr;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile DeployService deploy;

    private BundleContext context;

    @Activate
    void activate(BundleContext context) {
        this.context = context;
    }

    @Descriptor("why a bundle is not ACTIVE or a component of it not satisfied: state, missing requirements,"
            + " unsatisfied references, configurations and conditions, the hot deployer's last error")
    public String diag(@Descriptor("bundle id, symbolic name, or a part of the symbolic or Bundle-Name as lb takes it") String bundle) {
        List<Bundle> bundles = find(bundle);
        if (bundles.isEmpty()) {
            throw new IllegalArgumentException("No bundle " + bundle);
        }
        StringBuilder out = new StringBuilder();
        for (Bundle b : bundles) {
            diag(b, out);
        }
        return out.toString();
    }

    private List<Bundle> find(String name) {
        List<Bundle> found = new ArrayList<>();
        try {
            Bundle b = context.getBundle(Long.parseLong(name.trim()));
            if (b != null) {
                found.add(b);
            }
            return found;
        } catch (NumberFormatException e) {
            // a symbolic name
        }
        for (Bundle b : context.getBundles()) {
            if (name.trim().equals(b.getSymbolicName())) {
                found.add(b);
            }
        }
        if (found.isEmpty()) {
            // As lb does: a part of the symbolic name or of the Bundle-Name, in any case.
            String part = name.trim().toLowerCase(Locale.ROOT);
            for (Bundle b : context.getBundles()) {
                String title = b.getHeaders("").get(Constants.BUNDLE_NAME);
                if (contains(b.getSymbolicName(), part) || contains(title, part)) {
                    found.add(b);
                }
            }
        }
        return found;
    }

    private static boolean contains(String text, String lowerCasePart) {
        return text != null && text.toLowerCase(Locale.ROOT).contains(lowerCasePart);
    }

    private void diag(Bundle b, StringBuilder out) {
        boolean fragment = isFragment(b);
        out.append("Bundle ").append(b.getBundleId()).append(' ').append(b.getSymbolicName()).append(' ')
                .append(b.getVersion()).append(": ").append(state(b.getState())).append(fragment ? " (fragment)" : "")
                .append('\n');
        boolean problem = false;
        if (b.getState() == Bundle.INSTALLED) {
            problem = true;
            FrameworkWiring wiring = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class);
            if (wiring.resolveBundles(Set.of(b))) {
                out.append("  Resolves now (it did not before: a provider came since).\n");
            } else {
                problem |= unresolved(b, wiring, out);
            }
        } else if (b.getState() == Bundle.RESOLVED && !fragment) {
            problem = true;
            out.append("  Resolved but not started");
            BundleStartLevel level = b.adapt(BundleStartLevel.class);
            FrameworkStartLevel framework = context.getBundle(0).adapt(FrameworkStartLevel.class);
            if (level != null && framework != null && level.getStartLevel() > framework.getStartLevel()) {
                out.append(": its start level ").append(level.getStartLevel()).append(" is above the framework's ")
                        .append(framework.getStartLevel());
            } else if (level != null && !level.isPersistentlyStarted()) {
                out.append(": it was stopped, or never started (start ").append(b.getBundleId()).append(')');
            }
            out.append('\n');
        }
        DeployService d = deploy;
        if (d != null) {
            for (DeployedArtifact a : d.artifacts()) {
                if (a.bundleId() == b.getBundleId()) {
                    out.append("  Deployed from ").append(a.file());
                    if (a.error() != null) {
                        problem = true;
                        out.append("\n  Last deploy error: ").append(a.error());
                    }
                    out.append('\n');
                }
            }
        }
        problem |= components(b, out);
        if (!problem) {
            out.append("  No problem found.\n");
        }
    }

    /** The requirements no bundle (resolved or not) offers, and those offered only by unresolved bundles. */
    private boolean unresolved(Bundle b, FrameworkWiring wiring, StringBuilder out) {
        BundleRevision revision = b.adapt(BundleRevision.class);
        out.append("  Not resolved:\n");
        boolean named = false;
        for (BundleRequirement r : revision.getDeclaredRequirements(null)) {
            String resolution = r.getDirectives().get(Constants.RESOLUTION_DIRECTIVE);
            if (Constants.RESOLUTION_OPTIONAL.equals(resolution) || "dynamic".equals(resolution)) {
                continue;
            }
            Collection<BundleCapability> providers = wiring.findProviders(r);
            if (providers.isEmpty()) {
                out.append("    missing ").append(describe(r)).append(": nothing offers it\n");
                named = true;
            } else if (providers.stream().allMatch(c -> c.getRevision().getBundle().getState() == Bundle.INSTALLED
                    && c.getRevision().getBundle() != b)) {
                out.append("    ").append(describe(r)).append(": offered only by bundles that do not resolve either:");
                providers.forEach(c -> out.append(" ").append(c.getRevision().getBundle().getBundleId()));
                out.append(" (tramp:diag them)\n");
                named = true;
            }
        }
        if (!named) {
            out.append("    every requirement has a provider: a uses constraint conflicts (two versions of a"
                    + " package); the deploy error below or the log at DEBUG has the resolver's message\n");
        }
        return true;
    }

    static String describe(BundleRequirement r) {
        String filter = r.getDirectives().get(Constants.FILTER_DIRECTIVE);
        String what = switch (r.getNamespace()) {
            case "osgi.wiring.package" -> "Import-Package";
            case "osgi.wiring.bundle" -> "Require-Bundle";
            case "osgi.wiring.host" -> "Fragment-Host";
            case "osgi.ee" -> "execution environment";
            default -> "requirement " + r.getNamespace();
        };
        return what + " " + (filter == null ? "" : filter);
    }

    private boolean components(Bundle b, StringBuilder out) {
        ServiceComponentRuntime runtime = scr;
        if (runtime == null) {
            return false;
        }
        boolean problem = false;
        for (ComponentDescriptionDTO c : runtime.getComponentDescriptionDTOs(b)) {
            if (!runtime.isComponentEnabled(c)) {
                out.append("  Component ").append(c.name).append(": disabled\n");
                continue;
            }
            Collection<ComponentConfigurationDTO> configurations = runtime.getComponentConfigurationDTOs(c);
            if (configurations.isEmpty()) {
                if ("require".equals(c.configurationPolicy)) {
                    problem = true;
                    out.append("  Component ").append(c.name).append(": waiting for configuration ")
                            .append(String.join(", ", c.configurationPid)).append('\n');
                } else if (c.factory != null) {
                    out.append("  Component ").append(c.name).append(": a factory (").append(c.factory)
                            .append("), instances are made on request\n");
                } else {
                    out.append("  Component ").append(c.name).append(": no configuration yet\n");
                }
                continue;
            }
            for (ComponentConfigurationDTO cc : configurations) {
                out.append("  Component ").append(c.name).append(": ").append(componentState(cc.state)).append('\n');
                if (cc.state == ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION) {
                    problem = true;
                    out.append("    waiting for configuration ").append(String.join(", ", c.configurationPid))
                            .append('\n');
                }
                if (cc.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                    problem = true;
                    out.append("    activation failed: ").append(cc.failure).append('\n');
                }
                for (UnsatisfiedReferenceDTO u : cc.unsatisfiedReferences) {
                    problem = true;
                    String iface = "?";
                    for (ReferenceDTO r : c.references) {
                        if (r.name.equals(u.name)) {
                            iface = r.interfaceName;
                        }
                    }
                    out.append("    ").append(SATISFYING_CONDITION.equals(u.name) ? "condition not true: "
                            : "missing reference ").append(u.name).append(": ").append(iface);
                    if (u.target != null) {
                        out.append(" with target ").append(u.target);
                    }
                    out.append(" (no matching service)\n");
                }
            }
        }
        return problem;
    }

    private static boolean isFragment(Bundle b) {
        BundleRevision r = b.adapt(BundleRevision.class);
        return r != null && (r.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
    }

    static String componentState(int state) {
        return switch (state) {
            case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION -> "UNSATISFIED_CONFIGURATION";
            case ComponentConfigurationDTO.UNSATISFIED_REFERENCE -> "UNSATISFIED_REFERENCE";
            case ComponentConfigurationDTO.SATISFIED -> "SATISFIED";
            case ComponentConfigurationDTO.ACTIVE -> "ACTIVE";
            case ComponentConfigurationDTO.FAILED_ACTIVATION -> "FAILED_ACTIVATION";
            default -> "state " + state;
        };
    }

    static String state(int state) {
        return switch (state) {
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.ACTIVE -> "ACTIVE";
            case Bundle.UNINSTALLED -> "UNINSTALLED";
            default -> "state " + state;
        };
    }
}
