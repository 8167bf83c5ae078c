package dev.trampoline.runtime.internal.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class ConsoleBacklogTest {

    private static List<String> drain(ConsoleBacklog backlog) throws InterruptedException {
        backlog.close();
        List<String> texts = new ArrayList<>();
        for (String t; (t = backlog.take()) != null;) {
            texts.add(t);
        }
        return texts;
    }

    @Test
    void consoleThatDoesNotKeepUpMissesEntriesAndIsToldHowMany() throws InterruptedException {
        ConsoleBacklog backlog = new ConsoleBacklog(100);
        for (int i = 0; i < 1000; i++) {
            backlog.offer("entry " + i + "\n"); // nobody takes: the console is stuck
        }
        String first = backlog.take(); // the console moves again
        assertEquals("entry 0\n", first);
        backlog.offer("later\n");

        List<String> rest = drain(backlog);
        assertTrue(rest.size() < 20, "kept " + rest.size());
        String notice = rest.get(rest.size() - 2);
        assertTrue(notice.startsWith("[" + (1000 - rest.size() + 1) + " log entries were not shown here"), notice);
        assertEquals("later\n", rest.get(rest.size() - 1), "the notice stands where the entries went missing");
    }

    @Test
    void noticeComesOnceTheConsoleCatchesUpEvenIfNothingIsLoggedAfter() throws InterruptedException {
        ConsoleBacklog backlog = new ConsoleBacklog(10);
        backlog.offer("12345678\n");
        backlog.offer("dropped\n");
        assertEquals("12345678\n", backlog.take());
        assertTrue(backlog.take().startsWith("[1 log entries were not shown here"));
    }

    @Test
    void whatWasQueuedIsWrittenAfterCloseAndNothingMoreIsTaken() throws InterruptedException {
        ConsoleBacklog backlog = new ConsoleBacklog(1000);
        backlog.offer("a\n");
        backlog.offer("b\n");
        backlog.close();
        backlog.offer("after close\n");
        assertEquals("a\n", backlog.take());
        assertEquals("b\n", backlog.take());
        assertNull(backlog.take());
    }
}
