package dev.trampoline.runtime.remote.internal.call;

import java.io.IOException;

import dev.trampoline.runtime.remote.CallNotSerializableException;
import dev.trampoline.runtime.remote.ChildFailedException;
import dev.trampoline.runtime.remote.RemoteServiceException;
import dev.trampoline.runtime.remote.internal.serial.Serialization;
import dev.trampoline.runtime.remote.internal.wire.Failure;
import dev.trampoline.runtime.remote.internal.wire.Frame;
import dev.trampoline.runtime.remote.internal.wire.Payload;

/**
 * Turns a child's answer into the outcome of the call: its result; or the service's exception, as its own class
 * where that loads here, else a {@link RemoteServiceException} that keeps the remote class name, message, stack,
 * causes and suppressed exceptions. The caller's call site is attached to every failure.
 */
public final class Answers {

    private final Serialization serialization;

    /** Answers read with {@code serialization}. */
    public Answers(Serialization serialization) {
        this.serialization = serialization;
    }

    /**
     * Resolves or fails the promise of {@code call}, which the caller has settled, with {@code frame}, the answer
     * of child {@code childPid}. Returns the virtual-machine error (out of memory, say) the child threw while
     * running the call, as "class: message", for the caller to retire that child; else null.
     */
    public String settle(long childPid, PendingCall call, Frame frame) {
        String vmError = null;
        try {
            if (frame.kind() == Frame.RESULT) {
                call.deferred.resolve(serialization.read(frame.payload()));
            } else {
                Failure failure = (Failure) serialization.read(frame.payload());
                Throwable t = failureOf(failure);
                vmError = virtualMachineError(failure.description());
                if (vmError != null) {
                    // The child's state is unknown after this: it serves no more calls, and the caller learns why.
                    t = new ChildFailedException("Child JVM (pid " + childPid + ") threw " + vmError
                            + " while running the call; it takes no new calls and exits once its calls in flight"
                            + " end", childPid, null, t);
                }
                t.addSuppressed(call.callSite);
                call.deferred.fail(t);
            }
        } catch (Throwable e) { // whatever reading it threw (out of memory, too deep), the caller gets an answer
            CallNotSerializableException failure = new CallNotSerializableException("The answer of child "
                    + childPid + " cannot be read: " + e.getMessage(), e);
            failure.addSuppressed(call.callSite);
            call.deferred.fail(failure);
        }
        return vmError;
    }

    /**
     * The first {@link VirtualMachineError} (out of memory, stack overflow, an internal error) in the chain of
     * a child's exception, as "class: message", or null.
     */
    static String virtualMachineError(Failure.Description d) {
        for (int depth = 0; d != null && depth < 16; d = d.cause(), depth++) {
            if (VM_ERRORS.contains(d.className())) {
                return d.className() + (d.message() == null ? "" : ": " + d.message());
            }
        }
        return null;
    }

    private static final java.util.Set<String> VM_ERRORS = java.util.Set.of(VirtualMachineError.class.getName(),
            OutOfMemoryError.class.getName(), StackOverflowError.class.getName(), InternalError.class.getName(),
            UnknownError.class.getName());

    /**
     * The exception {@code failure} describes, as its own class where it loads here, else a stand-in (for the
     * failure of one input of a bulk call).
     */
    public Throwable exceptionOf(Failure failure) {
        return failureOf(failure);
    }

    private Throwable failureOf(Failure failure) {
        if (failure.serialized() != null) {
            try {
                return (Throwable) serialization.read(Payload.fromBytes(failure.serialized()));
            } catch (Serialization.ReadException e) {
                // its class is not loadable here, or refused: the description stands in for it
                RemoteServiceException standIn = standIn(failure.description());
                if (e.refused()) { // say why the exception is not its own class, naming the class and the rule
                    standIn.addSuppressed(new IllegalStateException(e.getMessage()));
                }
                return standIn;
            } catch (IOException | RuntimeException e) {
                // the bytes are not a stream: the description stands in for it
            }
        }
        return standIn(failure.description());
    }

    static RemoteServiceException standIn(Failure.Description d) {
        RemoteServiceException e = new RemoteServiceException(d.className(), d.message(),
                d.cause() == null ? null : standIn(d.cause()));
        e.setStackTrace(d.stack());
        for (Failure.Description s : d.suppressed()) {
            e.addSuppressed(standIn(s));
        }
        return e;
    }
}
