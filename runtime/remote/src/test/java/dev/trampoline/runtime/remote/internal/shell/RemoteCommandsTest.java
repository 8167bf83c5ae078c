package dev.trampoline.runtime.remote.internal.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.trampoline.runtime.remote.CallTimeoutException;

class RemoteCommandsTest {

    @Test
    void aFailedCallShowsItsOwnExceptionWithNoWrapperName() {
        CallTimeoutException timeout = new CallTimeoutException("The call did not finish within 3000 ms");

        Exception shown = RemoteCommands.failed(timeout, false);

        assertEquals(timeout + " (tramp:call -v shows its stacks)", shown.toString(),
                "the terminal shell prints toString(): no java.lang.Exception before the call's own exception");
        assertSame(timeout, shown.getCause(), "the exception itself, for Gogo's e");
    }

    @Test
    void verboseAddsTheStacks() {
        Exception shown = RemoteCommands.failed(new IllegalStateException("broken"), true);

        assertTrue(shown.toString().startsWith("java.lang.IllegalStateException: broken"), shown.toString());
        assertTrue(shown.toString().contains("\tat "), shown.toString());
    }

    @Test
    void anInterruptedCallSaysWhetherItWasCancelledAndWhere() {
        assertEquals("Cancelled; child pid 7 was told to interrupt the call", RemoteCommands.cancelled(true, 7));
        assertEquals("Cancelled while it waited for a child JVM", RemoteCommands.cancelled(true, -1));
        assertEquals("Interrupted; the call had already ended", RemoteCommands.cancelled(false, 7));
    }

    @Test
    void tabOffersNoObjectAndNoInternalClassAsAService() {
        assertTrue(RemoteCommands.isOfferedForCompletion("dev.trampoline.examples.greeter.Greeter"));
        assertTrue(RemoteCommands.isOfferedForCompletion("org.osgi.service.cm.ConfigurationAdmin"));
        assertFalse(RemoteCommands.isOfferedForCompletion("java.lang.Object"));
        assertFalse(RemoteCommands.isOfferedForCompletion(RemoteCommands.class.getName()));
        assertFalse(RemoteCommands.isOfferedForCompletion("org.apache.felix.scr.impl.Activator"));
    }
}
