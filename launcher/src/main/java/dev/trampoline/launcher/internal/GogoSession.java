package dev.trampoline.launcher.internal;

import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

import org.osgi.framework.BundleContext;
import org.osgi.util.tracker.ServiceTracker;

/**
 * A Gogo command session driven from the launcher. The launcher lives outside the framework and does not
 * share Gogo's classes, so the session is reached by reflection on the three methods it needs.
 */
public final class GogoSession implements AutoCloseable {

    private static final String PROCESSOR = "org.apache.felix.service.command.CommandProcessor";
    /** Gogo's {@code Converter.INSPECT}: the detailed form a shell prints a command's result in. */
    private static final int INSPECT = 0;

    private final Object session;
    private final Method execute;
    private final Method format;
    private final Method close;
    private final Method put;

    private GogoSession(Object session) throws NoSuchMethodException {
        this.session = session;
        Class<?> type = publicInterface(session.getClass(), "org.apache.felix.service.command.CommandSession");
        this.execute = type.getMethod("execute", CharSequence.class);
        this.format = type.getMethod("format", Object.class, int.class);
        this.close = type.getMethod("close");
        this.put = type.getMethod("put", String.class, Object.class);
    }

    /** Opens a session once the command processor is there, waiting at most {@code timeoutMillis}. */
    public static GogoSession open(BundleContext context, InputStream in, PrintStream out, PrintStream err,
            long timeoutMillis) throws Exception {
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context,
                context.createFilter("(objectClass=" + PROCESSOR + ")"), null);
        tracker.open(true);
        try {
            Object processor = tracker.waitForService(timeoutMillis);
            if (processor == null) {
                throw new IllegalStateException("The Gogo shell (" + PROCESSOR + ") is not running");
            }
            Class<?> type = publicInterface(processor.getClass(), PROCESSOR);
            Method create = type.getMethod("createSession", InputStream.class, java.io.OutputStream.class,
                    java.io.OutputStream.class);
            GogoSession session = new GogoSession(create.invoke(processor, in, out, err));
            // As the shells' profile says: Gogo's own scope first, so `exit` is the launcher's (gogo:exit),
            // not System.exit, which the profile adds as a command too.
            session.put.invoke(session.session, "SCOPE", "gogo:*");
            // The headless shell's profile adds these too, but on its own thread: a first line such as
            // `bundle 13` could run before it and find no such command.
            for (String command : Storage.CONTEXT_COMMANDS) {
                session.execute(command);
            }
            return session;
        } finally {
            tracker.close();
        }
    }

    /** Runs one command line; returns its result formatted for printing, or null when it has none. */
    public String execute(String commandLine) throws Exception {
        try {
            Object result = execute.invoke(session, commandLine);
            if (result == null) {
                return null;
            }
            Object text = format.invoke(session, result, INSPECT);
            return text == null ? null : text.toString();
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            close.invoke(session);
        } catch (ReflectiveOperationException e) {
            // the framework is going away with it
        }
    }

    private static Class<?> publicInterface(Class<?> impl, String name) {
        for (Class<?> c = impl; c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                if (i.getName().equals(name)) {
                    return i;
                }
            }
        }
        throw new IllegalStateException(impl + " does not implement " + name);
    }

}
