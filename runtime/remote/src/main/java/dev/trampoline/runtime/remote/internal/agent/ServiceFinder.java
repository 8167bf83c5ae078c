package dev.trampoline.runtime.remote.internal.agent;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

import dev.trampoline.runtime.remote.NoSuchServiceException;
import dev.trampoline.runtime.remote.internal.wire.ServiceSelector;

/**
 * Finds, in the child, the service a call names, waiting a bounded time for it to be registered. One tracker
 * per selector stays open for the child's life: later calls find the service at once, and the service object
 * is held while the child lives, so a delayed DS component is not deactivated and activated again on every
 * call.
 */
final class ServiceFinder implements AutoCloseable {

    private final BundleContext context;
    private final MissingService missing;
    private final Map<String, ServiceTracker<Object, Object>> trackers = new ConcurrentHashMap<>();
    private volatile boolean closed;

    ServiceFinder(BundleContext context, MissingService missing) {
        this.context = context;
        this.missing = missing;
    }

    Object find(ServiceSelector selector, long waitMillis)
            throws InvalidSyntaxException, InterruptedException {
        ServiceTracker<Object, Object> tracker = trackers.get(selector.key());
        if (tracker == null) {
            tracker = open(selector);
        }
        Object service = tracker.getService();
        if (service == null) {
            service = tracker.waitForService(Math.max(1, waitMillis));
        }
        if (service == null) {
            throw new NoSuchServiceException(missing.explain(selector, waitMillis));
        }
        return service;
    }

    private synchronized ServiceTracker<Object, Object> open(ServiceSelector selector) throws InvalidSyntaxException {
        ServiceTracker<Object, Object> existing = trackers.get(selector.key());
        if (existing != null) {
            return existing;
        }
        if (closed) {
            throw new IllegalStateException("the child is stopping");
        }
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context, context.createFilter(selector.ldap()),
                null) {
            @Override
            public Object addingService(ServiceReference<Object> ref) {
                return fromNamedBundle(ref, selector) ? super.addingService(ref) : null;
            }
        };
        tracker.open(true);
        trackers.put(selector.key(), tracker);
        return tracker;
    }

    private static boolean fromNamedBundle(ServiceReference<?> ref, ServiceSelector selector) {
        if (selector.bundleSymbolicName() == null) {
            return true;
        }
        var b = ref.getBundle();
        return b != null && selector.bundleSymbolicName().equals(b.getSymbolicName())
                && selector.bundleVersion().equals(b.getVersion().toString());
    }

    @Override
    public synchronized void close() {
        closed = true;
        trackers.values().forEach(ServiceTracker::close);
        trackers.clear();
    }
}
