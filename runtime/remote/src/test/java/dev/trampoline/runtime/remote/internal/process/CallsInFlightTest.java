package dev.trampoline.runtime.remote.internal.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.trampoline.runtime.remote.internal.call.PendingCall;

class CallsInFlightTest {

    private final CallsInFlight calls = new CallsInFlight();

    private PendingCall sent(long id) {
        PendingCall call = new PendingCall(id, null, null, null);
        calls.sent(call);
        return call;
    }

    @Test
    void aCancelledCallCountsInFlightUntilItsLateAnswerWhichIsExpectedOnce() {
        sent(1);

        assertTrue(calls.cancel(1));
        assertEquals(1, calls.count());
        assertTrue(calls.cancelling(1));
        assertNull(calls.takeAnswered(1), "no caller waits for it any more");
        assertTrue(calls.forgottenAnswered(1), "its late answer is expected");
        calls.forgottenEnded(1);

        assertEquals(0, calls.count());
        assertFalse(calls.forgottenAnswered(1), "a second answer is not: the child breaks the protocol");
    }

    @Test
    void cancellingACallAlreadyAnsweredTakesNothingBackAndExpectsNoMoreAnswer() {
        PendingCall call = sent(2);
        assertSame(call, calls.takeAnswered(2));

        assertFalse(calls.cancel(2));

        assertEquals(0, calls.count());
        assertFalse(calls.forgottenAnswered(2));
    }

    @Test
    void aCallCancelledTwiceStaysOneCancelledCall() {
        sent(3);

        assertTrue(calls.cancel(3));
        assertFalse(calls.cancel(3));

        assertEquals(1, calls.cancellingCount());
        assertTrue(calls.forgottenAnswered(3), "its answer is still expected, once");
    }

    @Test
    void anAbandonedCallIsNoLongerAwaitedButItsAnswerStaysExpected() {
        sent(4);
        sent(5);

        assertTrue(calls.abandon(4));

        assertEquals(1, calls.count(), "unlike a cancelled one, it no longer counts");
        assertTrue(calls.forgottenAnswered(4));
        assertEquals(List.of(5L), calls.orphans().stream().map(c -> c.id).toList());
        assertTrue(calls.noneAwaited());
    }
}
