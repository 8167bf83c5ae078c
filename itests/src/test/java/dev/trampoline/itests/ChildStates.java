package dev.trampoline.itests;

import java.util.List;

import dev.trampoline.runtime.remote.RemoteExecutor;

/**
 * The children as {@code tramp:children} lists them, read from the executor's admin interface (internal to the
 * runtime, so by reflection): for tests that wait for a child's state.
 */
final class ChildStates {

    private ChildStates() {
    }

    /** "STATE IN-FLIGHT" of child {@code pid}, e.g. {@code CANCELLING 1}, or "gone". */
    static String of(RemoteExecutor executor, long pid) {
        for (Object c : children(executor)) {
            if ((Long) get(c, "pid") == pid) {
                return get(c, "state") + " " + get(c, "callsInFlight");
            }
        }
        return "gone";
    }

    /**
     * Whether a child still runs a cancelled call (its answer has not come): new calls avoid it, so a test that
     * cancels waits for this to end before the next test's calls.
     */
    static boolean anyCancelling(RemoteExecutor executor) {
        return children(executor).stream().anyMatch(c -> "CANCELLING".equals(get(c, "state")));
    }

    private static List<?> children(RemoteExecutor executor) {
        return (List<?>) get(executor, "children");
    }

    private static Object get(Object target, String method) {
        try {
            return target.getClass().getMethod(method).invoke(target);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("tramp:children's view of the executor: " + method, e);
        }
    }
}
