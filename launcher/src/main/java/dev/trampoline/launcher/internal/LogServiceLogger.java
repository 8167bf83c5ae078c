package dev.trampoline.launcher.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Locale;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * The launcher's logger in the OSGi Log Service: the system bundle's logger {@value #NAME}, which the runtime's
 * log sink shows as {@code [launcher]}. Through it the launcher's messages reach the console, the log file and
 * {@code log:display} in order with every other entry. The launcher does not see the Log Service's API classes
 * (they are the Log Service bundle's), so it calls them by reflection, through the interfaces' methods.
 */
final class LogServiceLogger {

    static final String NAME = "launcher";

    private final BundleContext system;
    private final ServiceReference<?> reference;
    private final Object logger;
    private final Class<?> loggerType;

    private LogServiceLogger(BundleContext system, ServiceReference<?> reference, Object logger,
            Class<?> loggerType) {
        this.system = system;
        this.reference = reference;
        this.logger = logger;
        this.loggerType = loggerType;
    }

    /** The logger, or null if no Log Service runs. */
    static LogServiceLogger of(BundleContext system) {
        ServiceReference<?> ref = system.getServiceReference("org.osgi.service.log.LoggerFactory");
        if (ref == null) {
            return null;
        }
        Object factory = system.getService(ref);
        if (factory == null) {
            return null;
        }
        try {
            Class<?> factoryType = ref.getBundle().loadClass("org.osgi.service.log.LoggerFactory");
            Class<?> loggerType = ref.getBundle().loadClass("org.osgi.service.log.Logger");
            Object logger = factoryType.getMethod("getLogger", String.class).invoke(factory, NAME);
            return new LogServiceLogger(system, ref, logger, loggerType);
        } catch (ReflectiveOperationException | RuntimeException e) {
            system.ungetService(ref);
            return null;
        }
    }

    /** Logs {@code message} at {@code level} (ERROR, WARN, INFO, DEBUG, TRACE); false if the Log Service is gone. */
    boolean log(String level, String message) {
        try {
            Method m = loggerType.getMethod(level.toLowerCase(Locale.ROOT), String.class);
            m.invoke(logger, message);
            return true;
        } catch (InvocationTargetException | IllegalAccessException | NoSuchMethodException | RuntimeException e) {
            return false;
        }
    }

    /** Gives the Log Service back: the framework stops. */
    void close() {
        try {
            system.ungetService(reference);
        } catch (IllegalStateException | IllegalArgumentException stopped) {
            // the framework has stopped already
        }
    }
}
