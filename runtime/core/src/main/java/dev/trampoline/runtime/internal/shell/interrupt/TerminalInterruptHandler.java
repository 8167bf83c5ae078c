package dev.trampoline.runtime.internal.shell.interrupt;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A JLine terminal's Ctrl-C ({@code Terminal.Signal.INT}) handler, installed in place of the one there (Gogo's
 * shell's, which interrupts the foreground job) until {@link #close()} puts that one back.
 * <p>
 * By reflection: JLine is a bundle of the shell, which neither this bundle nor an embedded runtime needs, and the
 * terminal is given as a session variable of type {@code Object}. The handler is a proxy of JLine's
 * {@code Terminal.SignalHandler}, made in JLine's class loader.
 */
final class TerminalInterruptHandler implements AutoCloseable {

    static final String TERMINAL_TYPE = "org.jline.terminal.Terminal";

    private static final TerminalInterruptHandler NONE = new TerminalInterruptHandler(null, null, null, null);

    private final Object terminal;
    private final Method handle;
    private final Object interrupt;
    private final Object previous;

    private TerminalInterruptHandler(Object terminal, Method handle, Object interrupt, Object previous) {
        this.terminal = terminal;
        this.handle = handle;
        this.interrupt = interrupt;
        this.previous = previous;
    }

    /**
     * Makes {@code onCtrlC} the terminal's Ctrl-C handler; it is given a way to pass the signal on to the handler it
     * replaced. Does nothing for anything but a JLine terminal (null included).
     */
    static TerminalInterruptHandler install(Object terminal, Consumer<Runnable> onCtrlC) {
        if (terminal == null) {
            return NONE;
        }
        try {
            Class<?> type = Class.forName(TERMINAL_TYPE, false, terminal.getClass().getClassLoader());
            if (!type.isInstance(terminal)) {
                return NONE;
            }
            Method handle = findHandle(type);
            Class<?> signalType = handle.getParameterTypes()[0];
            Class<?> handlerType = handle.getParameterTypes()[1];
            Object interrupt = constant(signalType, "INT");
            AtomicReference<Object> replaced = new AtomicReference<>();
            Object ours = Proxy.newProxyInstance(handlerType.getClassLoader(), new Class<?>[] {handlerType},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "handle" -> {
                            onCtrlC.accept(() -> passOn(handlerType, signalType, replaced.get(), args[0]));
                            yield null;
                        }
                        case "equals" -> proxy == args[0];
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "toString" -> "Ctrl-C interrupts the running command";
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
            replaced.set(handle.invoke(terminal, interrupt, ours));
            return new TerminalInterruptHandler(terminal, handle, interrupt, replaced.get());
        } catch (ReflectiveOperationException | RuntimeException e) {
            return NONE; // no JLine here, or one of another shape: Gogo's own handling stays
        }
    }

    /** Puts the replaced handler back. */
    @Override
    public void close() {
        if (handle == null) {
            return;
        }
        try {
            handle.invoke(terminal, interrupt, previous);
        } catch (ReflectiveOperationException e) {
            // the terminal is closing with its shell
        }
    }

    /** Hands the signal to a handler that does something: JLine's SIG_DFL and SIG_IGN are markers, not code. */
    private static void passOn(Class<?> handlerType, Class<?> signalType, Object handler, Object signal) {
        try {
            if (handler == null || handler == handlerType.getField("SIG_DFL").get(null)
                    || handler == handlerType.getField("SIG_IGN").get(null)) {
                return;
            }
            handlerType.getMethod("handle", signalType).invoke(handler, signal);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Method findHandle(Class<?> type) throws NoSuchMethodException {
        for (Method m : type.getMethods()) {
            if (m.getName().equals("handle") && m.getParameterCount() == 2 && m.getParameterTypes()[0].isEnum()) {
                return m;
            }
        }
        throw new NoSuchMethodException(type.getName() + ".handle(Signal, SignalHandler)");
    }

    private static Object constant(Class<?> enumType, String name) {
        for (Object c : enumType.getEnumConstants()) {
            if (((Enum<?>) c).name().equals(name)) {
                return c;
            }
        }
        throw new IllegalStateException(enumType.getName() + " has no " + name);
    }
}
