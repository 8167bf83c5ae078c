package dev.trampoline.runtime.remote;

import java.util.concurrent.TimeoutException;

/** A call did not finish within its time limit; the child that ran it was killed. */
public class CallTimeoutException extends TimeoutException {

    private static final long serialVersionUID = 1L;

    public CallTimeoutException(String message) {
        super(message);
    }
}
