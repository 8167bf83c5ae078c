package dev.trampoline.runtime.remote.internal.wire;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * An exception from a child, twice: the serialized exception itself (null if it could not be serialized),
 * and a description made only of JDK types that always crosses, from which the reader builds a stand-in when
 * it cannot load the real class.
 */
public record Failure(byte[] serialized, Description description) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Class name, message, stack, cause chain and suppressed exceptions, as plain data. */
    public record Description(String className, String message, StackTraceElement[] stack, Description cause,
            List<Description> suppressed) implements Serializable {

        private static final long serialVersionUID = 1L;

        public static Description of(Throwable t) {
            return of(t, 0);
        }

        private static Description of(Throwable t, int depth) {
            List<Description> suppressed = new ArrayList<>();
            if (depth < 16) {
                for (Throwable s : t.getSuppressed()) {
                    suppressed.add(of(s, depth + 1));
                }
            }
            Description cause = t.getCause() == null || t.getCause() == t || depth >= 16 ? null
                    : of(t.getCause(), depth + 1);
            return new Description(t.getClass().getName(), t.getMessage(), t.getStackTrace(), cause, suppressed);
        }
    }
}
