package dev.trampoline.runtime.internal.shell.interrupt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Job;
import org.jline.terminal.Terminal;
import org.jline.terminal.Terminal.Signal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A real Gogo command processor and a real JLine terminal, whose Ctrl-C the test raises as the signal would. */
class ShellInterruptsTest {

    private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
    private final ExecutorService shellThread = Executors.newSingleThreadExecutor();
    private final List<Signal> shellHandled = new CopyOnWriteArrayList<>();
    private CommandProcessorImpl processor;
    private Terminal terminal;
    private CommandSession session;

    @BeforeEach
    void openTerminalAndSession() throws Exception {
        terminal = TerminalBuilder.builder().dumb(true).streams(new ByteArrayInputStream(new byte[0]), screen)
                .build();
        // stands for Gogo's shell, whose handler interrupts the foreground job
        terminal.handle(Signal.INT, shellHandled::add);
        processor = new CommandProcessorImpl(new ThreadIOImpl());
        session = processor.createSession(new ByteArrayInputStream(new byte[0]), screen, screen);
        session.put(ShellInterrupts.TERMINAL, terminal);
    }

    @AfterEach
    void close() throws Exception {
        shellThread.shutdownNow();
        session.close();
        processor.stop();
        terminal.close();
    }

    /** A command that waits until it is interrupted, as {@code log:tail} does. */
    public static final class Waiter {
        final CountDownLatch waiting = new CountDownLatch(1);

        public String waitForCtrlC(CommandSession session) throws Exception {
            return ShellInterrupts.run(session, () -> {
                waiting.countDown();
                try {
                    new CountDownLatch(1).await();
                    return "never";
                } catch (InterruptedException e) {
                    return "cancelled";
                }
            });
        }
    }

    @Test
    void ctrlCInterruptsTheCommandAloneWhichReturnsAsUsualAndTheShellsHandlerIsBackAfterwards() throws Exception {
        Waiter waiter = new Waiter();
        processor.addCommand("test", waiter, "waitForCtrlC");
        Future<Object> result = shellThread.submit(() -> session.execute("test:waitForCtrlC"));
        waiter.waiting.await();

        terminal.raise(Signal.INT);

        assertEquals("cancelled", result.get());
        assertTrue(shellHandled.isEmpty(), "the shell's handler did not see this Ctrl-C: " + shellHandled);
        terminal.raise(Signal.INT);
        assertEquals(List.of(Signal.INT), shellHandled, "after the command, Ctrl-C is the shell's again");
    }

    /** A command that waits without ShellInterrupts: Gogo's job interrupt (here, the shell's handler) is its Ctrl-C. */
    public static final class PlainWaiter {
        final CountDownLatch waiting = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        public String waitPlainly() throws InterruptedException {
            waiting.countDown();
            release.await();
            return "released";
        }
    }

    @Test
    void ctrlCWhileAnotherJobIsInTheForegroundGoesToTheShellsHandler() throws Exception {
        Waiter background = new Waiter();
        PlainWaiter foreground = new PlainWaiter();
        processor.addCommand("test", background, "waitForCtrlC");
        processor.addCommand("test", foreground, "waitPlainly");
        session.execute("test:waitForCtrlC &");
        background.waiting.await();
        Future<Object> result = shellThread.submit(() -> session.execute("test:waitPlainly"));
        foreground.waiting.await();

        terminal.raise(Signal.INT);

        assertEquals(List.of(Signal.INT), shellHandled, "the foreground job's Ctrl-C is the shell's");
        foreground.release.countDown();
        assertEquals("released", result.get());
        assertTrue(session.jobs().stream().anyMatch(j -> j.status() != Job.Status.Done),
                "the background command still waits: " + session.jobs());
    }

    @Test
    void aCtrlCThatComesAsTheCommandReturnsLeavesNoInterruptBehind() throws Exception {
        boolean interruptedInside = ShellInterrupts.run(session, () -> {
            terminal.raise(Signal.INT);
            terminal.raise(Signal.INT); // a second one while the first is handled: still one interrupt
            return Thread.currentThread().isInterrupted();
        });

        assertTrue(interruptedInside);
        assertFalse(Thread.currentThread().isInterrupted(), "the next command on this thread starts clean");
        assertTrue(shellHandled.isEmpty(), shellHandled.toString());
    }

    @Test
    void withoutATerminalTheCommandJustRuns() throws Exception {
        session.put(ShellInterrupts.TERMINAL, null);
        assertEquals("ran", ShellInterrupts.run(session, () -> "ran"));
        assertEquals("ran", ShellInterrupts.run(null, () -> "ran"));
        session.put(ShellInterrupts.TERMINAL, "not a JLine terminal");
        assertEquals("ran", ShellInterrupts.run(session, () -> "ran"));
    }
}
