package dev.trampoline.runtime.remote.internal.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class ExitSignalTest {

    @Test
    void everyHookRunsInTheOrderRegisteredAndOneRegisteredAfterTheExitRunsAtOnce() throws Exception {
        ExitSignal exit = new ExitSignal();
        List<String> ran = new ArrayList<>();
        exit.onExit(clean -> ran.add("first " + clean));
        exit.onExit(clean -> ran.add("second " + clean));

        exit.fire(true);
        exit.onExit(clean -> ran.add("late " + clean));

        assertEquals(List.of("first true", "second true", "late true"), ran);
        assertTrue(exit.await(0));
    }
}
