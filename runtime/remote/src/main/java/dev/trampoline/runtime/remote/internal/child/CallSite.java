package dev.trampoline.runtime.remote.internal.child;

/** The caller's stack at submission, attached to failures as a suppressed exception. */
final class CallSite extends Exception {

    private static final long serialVersionUID = 1L;

    CallSite() {
        super("the call was submitted here");
    }
}
