package dev.trampoline.runtime.remote.internal.agent;

import java.util.concurrent.TimeoutException;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

import dev.trampoline.runtime.remote.internal.wire.ServiceSelector;

/** Finds, in the child, the service a call names, waiting a bounded time for it to be registered. */
final class ServiceFinder {

    private final BundleContext context;

    ServiceFinder(BundleContext context) {
        this.context = context;
    }

    ServiceReference<Object> find(ServiceSelector selector, long waitMillis)
            throws InvalidSyntaxException, InterruptedException, TimeoutException {
        ServiceTracker<Object, ServiceReference<Object>> tracker = new ServiceTracker<>(context,
                context.createFilter(selector.ldap()), null) {
            @Override
            public ServiceReference<Object> addingService(ServiceReference<Object> ref) {
                return fromNamedBundle(ref, selector) ? ref : null;
            }

            @Override
            public void removedService(ServiceReference<Object> ref, ServiceReference<Object> tracked) {
                // references only: nothing was got
            }
        };
        tracker.open(true);
        try {
            ServiceReference<Object> ref = tracker.waitForService(Math.max(1, waitMillis));
            if (ref == null) {
                throw new TimeoutException("No service " + selector + " appeared in the child within " + waitMillis
                        + " ms. Is the bundle that registers it started in the parent?");
            }
            return ref;
        } finally {
            tracker.close();
        }
    }

    private static boolean fromNamedBundle(ServiceReference<?> ref, ServiceSelector selector) {
        if (selector.bundleSymbolicName() == null) {
            return true;
        }
        var b = ref.getBundle();
        return b != null && selector.bundleSymbolicName().equals(b.getSymbolicName())
                && selector.bundleVersion().equals(b.getVersion().toString());
    }
}
