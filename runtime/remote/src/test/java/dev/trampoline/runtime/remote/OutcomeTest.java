package dev.trampoline.runtime.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;

class OutcomeTest {

    @Test
    void aSuccessGivesItsValueAndAFailureThrowsUncheckedAsItselfCheckedWrapped() {
        assertEquals("v", Outcome.success(3, "v").orElseThrow());
        IllegalStateException unchecked = new IllegalStateException("no");
        assertSame(unchecked, assertThrows(IllegalStateException.class,
                () -> Outcome.failure(4, unchecked).orElseThrow()));
        IOException checked = new IOException("disk");
        CompletionException wrapped = assertThrows(CompletionException.class,
                () -> Outcome.failure(5, checked).orElseThrow());
        assertSame(checked, wrapped.getCause());
        assertEquals("#5 failed: java.io.IOException: disk", Outcome.failure(5, checked).toString());
    }
}
