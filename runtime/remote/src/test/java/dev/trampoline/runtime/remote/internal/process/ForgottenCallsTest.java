package dev.trampoline.runtime.remote.internal.process;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ForgottenCallsTest {

    @Test
    void aForgottenCallMayBeAnsweredOnceAndOnlyThen() {
        ForgottenCalls forgotten = new ForgottenCalls(10);
        forgotten.add(7);
        assertTrue(forgotten.answered(7), "the child answered a call the parent cancelled");
        assertFalse(forgotten.answered(7), "a second answer to it breaks the protocol");
        assertFalse(forgotten.answered(8), "so does an answer to a call never sent");
    }

    @Test
    void theOldestAreForgottenPastTheBound() {
        ForgottenCalls forgotten = new ForgottenCalls(3);
        for (long id = 1; id <= 5; id++) {
            forgotten.add(id);
        }
        assertFalse(forgotten.answered(1));
        assertFalse(forgotten.answered(2));
        assertTrue(forgotten.answered(3));
        assertTrue(forgotten.answered(5));
    }
}
