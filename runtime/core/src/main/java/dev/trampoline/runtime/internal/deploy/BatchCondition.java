package dev.trampoline.runtime.internal.deploy;

import java.util.Hashtable;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.condition.Condition;

/**
 * Says, the OSGi way, that the deployer is applying a batch: a Condition service with
 * {@code osgi.condition.id=}{@value #ID} is registered from before the batch's first install until after its
 * last start. Whoever follows the bundle set (the remote executor's standby children) can then wait for the
 * whole batch, however slowly the machine installs its jars, instead of guessing from the gaps between events.
 */
final class BatchCondition {

    static final String ID = "trampoline.deploy.batch";

    private final BundleContext context;
    private ServiceRegistration<Condition> registration;

    BatchCondition(BundleContext context) {
        this.context = context;
    }

    /** The batch begins (the deploy thread calls this and {@link #end()}, in pairs). */
    void begin() {
        if (registration == null) {
            Hashtable<String, Object> props = new Hashtable<>();
            props.put(Condition.CONDITION_ID, ID);
            try {
                registration = context.registerService(Condition.class, Condition.INSTANCE, props);
            } catch (IllegalStateException stopping) {
                // the bundle is stopping: nobody follows its batches any more
            }
        }
    }

    void end() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException gone) {
                // unregistered with the bundle
            }
            registration = null;
        }
    }
}
