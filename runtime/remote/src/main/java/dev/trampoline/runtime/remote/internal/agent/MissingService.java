package dev.trampoline.runtime.remote.internal.agent;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.ReferenceDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

import dev.trampoline.runtime.contract.internal.ChildProperties;
import dev.trampoline.runtime.contract.internal.SnapshotFile;
import dev.trampoline.runtime.remote.internal.wire.ServiceSelector;

/**
 * Why the service a call names is not in this child, as the child knows it: its bundle is not started here by
 * policy, or failed to start; its component is disabled, lacks a configuration, a reference or its satisfying
 * condition, or failed to activate (Declarative Services' runtime DTOs); or nothing registers that type.
 */
final class MissingService {

    /** The reference DS 1.5 adds to every component for its satisfying condition. */
    private static final String CONDITION_REFERENCE = "osgi.ds.satisfying.condition";
    private final BundleContext context;
    /** The snapshot the child runs now (it changes when a standby child moves to another). */
    private final java.util.function.Supplier<Path> snapshot;

    MissingService(BundleContext context, java.util.function.Supplier<Path> snapshot) {
        this.context = context;
        this.snapshot = snapshot;
    }

    String explain(ServiceSelector selector, long waitedMillis) {
        String head = "No service " + selector + " in the child within " + waitedMillis + " ms: ";
        Bundle bundle = bundleOf(selector);
        if (selector.bundleSymbolicName() != null && bundle == null) {
            return head + "bundle " + selector.bundleSymbolicName() + " " + selector.bundleVersion()
                    + " is not installed in the child";
        }
        if (bundle != null && bundle.getState() != Bundle.ACTIVE && bundle.getState() != Bundle.STARTING) {
            String failure = System.getProperty(ChildProperties.START_FAILURE_PREFIX + bundle.getBundleId());
            if (failure != null) {
                return head + "bundle " + name(bundle) + " failed to start in the child: " + failure;
            }
            String policy = childPolicy(bundle);
            if (policy == null || !policy.startsWith("install")) {
                return head + "bundle " + name(bundle) + " is not active in the child (state " + bundle.getState()
                        + "): it was stopped there";
            }
            return head + "bundle " + name(bundle) + " is not started in children (" + policy + "). Call the"
                    + " service in the parent, or let children start the bundle.";
        }
        String components = components(bundle, selector);
        if (components != null) {
            return head + components;
        }
        return head + "nothing" + (bundle == null ? "" : " in bundle " + name(bundle)) + " registers "
                + Arrays.toString(selector.objectClass()) + " with those properties in the child";
    }

    private Bundle bundleOf(ServiceSelector selector) {
        if (selector.bundleSymbolicName() == null) {
            return null;
        }
        for (Bundle b : context.getBundles()) {
            if (selector.bundleSymbolicName().equals(b.getSymbolicName())
                    && selector.bundleVersion().equals(b.getVersion().toString())) {
                return b;
            }
        }
        return null;
    }

    private static String name(Bundle b) {
        return b.getSymbolicName() + " " + b.getVersion();
    }

    /** What the child's snapshot says a child does with {@code b}, and why. */
    private String childPolicy(Bundle b) {
        Path file = this.snapshot.get();
        if (file == null) {
            return null;
        }
        SnapshotFile snapshot;
        try {
            snapshot = SnapshotFile.read(file);
        } catch (IOException e) {
            return null;
        }
        for (SnapshotFile.Entry e : snapshot.bundles()) {
            if (b.getLocation().equals(e.location())) {
                return e.childRole();
            }
        }
        return null;
    }

    /** What Declarative Services says of the components that would provide the service, or null. */
    private String components(Bundle bundle, ServiceSelector selector) {
        ServiceReference<ServiceComponentRuntime> ref = context.getServiceReference(ServiceComponentRuntime.class);
        ServiceComponentRuntime scr = ref == null ? null : context.getService(ref);
        if (scr == null) {
            return null;
        }
        try {
            List<String> reasons = new ArrayList<>();
            Bundle[] bundles = bundle == null ? new Bundle[0] : new Bundle[] {bundle};
            for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs(bundles)) {
                if (!provides(d, selector)) {
                    continue;
                }
                if (!scr.isComponentEnabled(d)) {
                    reasons.add("component " + d.name + " is disabled");
                    continue;
                }
                for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                    String why = why(d, c);
                    if (why != null) {
                        reasons.add("component " + d.name + " " + why);
                    }
                }
            }
            return reasons.isEmpty() ? null : String.join("; ", reasons);
        } finally {
            context.ungetService(ref);
        }
    }

    private static boolean provides(ComponentDescriptionDTO d, ServiceSelector selector) {
        if (selector.componentName() != null) {
            return selector.componentName().equals(d.name);
        }
        return d.serviceInterfaces != null && Arrays.asList(d.serviceInterfaces).containsAll(
                Arrays.asList(selector.objectClass()));
    }

    private static String why(ComponentDescriptionDTO d, ComponentConfigurationDTO c) {
        switch (c.state) {
            case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION:
                return "needs a configuration (pid " + String.join(", ", d.configurationPid)
                        + ") that the child does not have";
            case ComponentConfigurationDTO.UNSATISFIED_REFERENCE:
                List<String> missing = new ArrayList<>();
                for (UnsatisfiedReferenceDTO u : c.unsatisfiedReferences) {
                    missing.add(CONDITION_REFERENCE.equals(u.name)
                            ? "its satisfying condition " + u.target + " is not met in a child (it runs only where"
                                    + " that condition is registered)"
                            : "its reference " + u.name + " to " + interfaceOf(d, u.name)
                                    + (u.target == null ? "" : " " + u.target) + " has no service in the child");
                }
                return "is unsatisfied: " + String.join(", ", missing);
            case ComponentConfigurationDTO.FAILED_ACTIVATION:
                return "failed to activate: " + c.failure;
            default:
                return null; // satisfied or active: it is there, but not as the call names it
        }
    }

    private static String interfaceOf(ComponentDescriptionDTO d, String reference) {
        for (ReferenceDTO r : d.references) {
            if (r.name.equals(reference)) {
                return r.interfaceName;
            }
        }
        return reference;
    }
}
