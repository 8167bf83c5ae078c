package dev.trampoline.runtime.remote.internal.call;

/** The caller's stack at submission, attached to failures as a suppressed exception. */
public final class CallSite extends Exception {

    private static final long serialVersionUID = 1L;

    /** The stack of the thread that creates it: the caller's. */
    public CallSite() {
        super("the call was submitted here");
    }
}
