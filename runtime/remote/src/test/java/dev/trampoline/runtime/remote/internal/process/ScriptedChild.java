package dev.trampoline.runtime.remote.internal.process;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import dev.trampoline.runtime.remote.internal.wire.Frame;
import dev.trampoline.runtime.remote.internal.wire.Payload;
import dev.trampoline.runtime.remote.internal.wire.ReadLimit;

/**
 * A child that is a few threads of this JVM: it speaks the channel's protocol over real pipes, as a child JVM
 * does over its stdin and stdout, so the pool's policies can be tested against it in milliseconds (the real JVMs
 * are the itests' business). It says it is ready at once (or once its starter's boot gate opens), moves to
 * another bundle set by answering {@code ok:} with the text of the snapshot file it is sent (or {@code error:} if
 * its starter says moves fail, see {@link Starter#failMoves}), and answers each call as the call's payload text
 * says:
 * <ul>
 * <li>{@code echo:TEXT}: the result {@code TEXT@PID};</li>
 * <li>{@code hold:GATE}: the result {@code GATE@PID} once the gate opens ({@link Starter#open}); a cancel
 * answers it at once with a failure, as an interrupted call does;</li>
 * <li>{@code stubborn:GATE}: as {@code hold}, but a cancel does not end it (code that ignores its interrupt);</li>
 * <li>{@code stall:GATE}: reads no more of its channel until the gate opens (a child whose pipe fills), then
 * answers {@code GATE@PID};</li>
 * <li>{@code fail:TEXT}: the failure {@code TEXT};</li>
 * <li>{@code exit:N}: writes a line to stderr and exits with status N, answering nothing;</li>
 * <li>{@code lie}: answers a call that was never sent;</li>
 * <li>{@code huge}: announces a frame of 2 GiB.</li>
 * </ul>
 * Heartbeats it only records. It exits with status 0 when its channel ends. Started as a spare ({@link Starter#startSpare}), it first waits for
 * a child's arguments, as a spare JVM does, and exits with status 0 if its channel ends before.
 */
public final class ScriptedChild extends Process {

    private static final AtomicLong PIDS = new AtomicLong(4_000_000_000L);

    private final long pid = PIDS.incrementAndGet();
    private final Starter starter;
    private final ChildCommand command;
    private final Pipe stdin = Pipe.open();
    private final Pipe stdout = Pipe.open();
    private final Pipe stderr = Pipe.open();
    private final OutputStream parentStdin = Channels.newOutputStream(stdin.sink());
    private final InputStream parentStdout = Channels.newInputStream(stdout.source());
    private final InputStream parentStderr = Channels.newInputStream(stderr.source());
    private final DataOutputStream out = new DataOutputStream(Channels.newOutputStream(stdout.sink()));
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final Map<Long, CompletableFuture<Boolean>> cancels = new ConcurrentHashMap<>();
    /** Every frame the parent sent, in order. */
    private final List<Frame> received = new CopyOnWriteArrayList<>();

    /** Whether it was started as a spare: it reads a child's arguments before it boots as that child. */
    private final boolean spare;
    /** The arguments a spare was handed, one per line, once it was. */
    private final List<String> handed = new CopyOnWriteArrayList<>();

    private ScriptedChild(Starter starter, ChildCommand command, boolean spare) throws IOException {
        this.starter = starter;
        this.command = command;
        this.spare = spare;
        Thread reader = new Thread(this::run, "scripted-child-" + pid);
        reader.setDaemon(true);
        reader.start();
    }

    /** What the child was started with; null for a spare. */
    public ChildCommand command() {
        return command;
    }

    /** The child's arguments this spare was handed when a child was made of it; empty until then. */
    public List<String> handedArguments() {
        return List.copyOf(handed);
    }

    /** The frames the parent has sent this child so far, in order. */
    public List<Frame> received() {
        return List.copyOf(received);
    }

    /** The kinds of the frames received so far, in order. */
    public List<Byte> receivedKinds() {
        return received.stream().map(Frame::kind).toList();
    }

    /** Waits until the parent has sent this child {@code count} frames of {@code kind}; false if it exited first. */
    public boolean awaitReceived(byte kind, int count) throws InterruptedException {
        synchronized (received) {
            while (received.stream().filter(f -> f.kind() == kind).count() < count) {
                if (exit.isDone()) {
                    return false;
                }
                received.wait();
            }
            return true;
        }
    }

    private void run() {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(stdin.source())))) {
            if (spare && !readArguments(in)) {
                kill(0); // asked to leave before a child was made of it
                return;
            }
            awaitOrExit(starter.gate(starter.bootGate));
            send(Frame.text(0, Frame.READY, "pid=" + pid + " scripted"));
            for (Frame f = Frame.readFrom(in, ReadLimit.standard()); f != null; f = Frame.readFrom(in,
                    ReadLimit.standard())) {
                synchronized (received) {
                    received.add(f);
                    received.notifyAll();
                }
                handle(f);
            }
            kill(0);
        } catch (IOException e) {
            kill(1); // a frame it cannot read; or killed, its pipes closed under it (its status is set then)
        }
    }

    /** A spare waits for a child's arguments, one per line, then an empty line; false if its stdin ended first. */
    private boolean readArguments(DataInputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b >= 0; b = in.read()) {
            if (b != '\n') {
                line.append((char) b);
            } else if (line.length() == 0) {
                return true;
            } else {
                handed.add(line.toString());
                line.setLength(0);
            }
        }
        return false;
    }

    private void handle(Frame f) throws IOException {
        switch (f.kind()) {
            case Frame.CALL -> call(f.callId(), f.payload().utf8());
            case Frame.CANCEL -> cancels.computeIfAbsent(f.callId(), id -> new CompletableFuture<>()).complete(true);
            case Frame.UPDATE -> send(Frame.text(-1, Frame.UPDATED, starter.moveFailure != null
                    ? "error:" + starter.moveFailure : moveTo(Path.of(f.payload().utf8()))));
            case Frame.CONFIGURE, Frame.HEARTBEAT -> { } // received is the record
            default -> throw new IOException("a child is never sent a frame of kind " + f.kind());
        }
    }

    private static String moveTo(Path snapshot) {
        try {
            return "ok:" + Files.readString(snapshot).trim();
        } catch (IOException e) {
            return "error:" + e;
        }
    }

    private void call(long id, String script) throws IOException {
        String verb = script.contains(":") ? script.substring(0, script.indexOf(':')) : script;
        String arg = script.substring(verb.length() + (script.contains(":") ? 1 : 0));
        switch (verb) {
            case "echo" -> send(Frame.text(id, Frame.RESULT, arg + "@" + pid));
            case "fail" -> send(Frame.text(id, Frame.FAILURE, arg));
            case "hold", "stubborn" -> answerLater(id, arg, verb.equals("hold"));
            case "stall" -> {
                awaitOrExit(starter.gate(arg));
                send(Frame.text(id, Frame.RESULT, arg + "@" + pid));
            }
            case "exit" -> {
                write(stderr.sink(), "scripted child " + pid + " exits with status " + arg + "\n");
                kill(Integer.parseInt(arg));
            }
            case "lie" -> send(Frame.text(id + 1000, Frame.RESULT, "never asked"));
            case "huge" -> {
                synchronized (out) {
                    out.writeInt(0x54524D50);
                    out.writeInt(Integer.MAX_VALUE - 8);
                    out.flush();
                }
            }
            default -> send(Frame.text(id, Frame.FAILURE, "no such script: " + script));
        }
    }

    /** Answers call {@code id} once {@code gate} opens, or at its cancel if {@code interruptible}. */
    private void answerLater(long id, String gate, boolean interruptible) {
        CompletableFuture<Boolean> cancelled = cancels.computeIfAbsent(id, i -> new CompletableFuture<>());
        CompletableFuture<Void> opened = starter.gate(gate);
        Thread t = new Thread(() -> {
            try {
                awaitOrExit(interruptible ? CompletableFuture.anyOf(opened, cancelled) : opened);
                send(opened.isDone() ? Frame.text(id, Frame.RESULT, gate + "@" + pid)
                        : Frame.text(id, Frame.FAILURE, "interrupted"));
            } catch (IOException e) {
                // killed meanwhile
            }
        }, "scripted-call-" + pid + "-" + id);
        t.setDaemon(true);
        t.start();
    }

    /** Waits for {@code event}; if the child is killed first, an IOException, as its pipes would give. */
    private void awaitOrExit(CompletableFuture<?> event) throws IOException {
        CompletableFuture.anyOf(event, exit).join();
        if (exit.isDone()) {
            throw new IOException("killed");
        }
    }

    private void send(Frame f) throws IOException {
        synchronized (out) {
            f.writeTo(out);
        }
    }

    private static void write(Pipe.SinkChannel sink, String text) throws IOException {
        Channels.newOutputStream(sink).write(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Exits with {@code status} (unless it exited already): its pipes close, as a process's do when it dies. */
    private synchronized void kill(int status) {
        if (!exit.isDone()) { // the reader, failing as its pipe closes under it, must not set its own status
            closeQuietly(stdin.source());
            closeQuietly(stdout.sink());
            closeQuietly(stderr.sink());
            exit.complete(status);
            synchronized (received) {
                received.notifyAll(); // whoever waits for a frame learns it will not come
            }
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // closed already
        }
    }

    @Override
    public OutputStream getOutputStream() {
        return parentStdin;
    }

    @Override
    public InputStream getInputStream() {
        return parentStdout;
    }

    @Override
    public InputStream getErrorStream() {
        return parentStderr;
    }

    @Override
    public int waitFor() throws InterruptedException {
        try {
            return exit.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
        try {
            exit.get(timeout, unit);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public int exitValue() {
        if (!exit.isDone()) {
            throw new IllegalThreadStateException("scripted child " + pid + " runs");
        }
        return exit.join();
    }

    @Override
    public void destroy() {
        kill(143);
    }

    @Override
    public Process destroyForcibly() {
        kill(137);
        return this;
    }

    @Override
    public boolean isAlive() {
        return !exit.isDone();
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public CompletableFuture<Process> onExit() {
        return exit.thenApply(status -> this);
    }

    /**
     * Starts scripted children instead of JVMs, and holds the gates their scripts wait on. A gate, once open,
     * stays open.
     */
    public static final class Starter implements ChildStarter {

        private final List<ScriptedChild> started = new CopyOnWriteArrayList<>();
        private final Map<String, CompletableFuture<Void>> gates = new ConcurrentHashMap<>();
        private volatile String bootGate;
        private volatile IOException startFailure;
        private volatile String moveFailure;

        @Override
        public Process start(ChildCommand command, SpareJvm spare, java.util.function.Consumer<Process> made)
                throws IOException {
            IOException failure = startFailure;
            if (failure != null) {
                throw failure;
            }
            if (spare != null) {
                Process taken = spare.take(command); // hands it the arguments, as to a spare JVM
                if (taken != null) {
                    made.accept(taken);
                    return taken;
                }
            }
            Process p = started(new ScriptedChild(this, command, false));
            made.accept(p);
            return p;
        }

        @Override
        public Process startSpare(List<String> command) throws IOException {
            return started(new ScriptedChild(this, null, true));
        }

        private ScriptedChild started(ScriptedChild child) {
            started.add(child);
            synchronized (this) {
                notifyAll();
            }
            return child;
        }

        /** Children started from now on say they are ready only once {@code gate} opens (null: at once). */
        public void bootOnlyAt(String gate) {
            bootGate = gate;
        }

        /** Starts from now on fail with {@code failure} (null: they succeed again). */
        public void failStarts(IOException failure) {
            startFailure = failure;
        }

        /**
         * Children answer every move from now on with {@code error:WHY}, as a child whose new bundles do not
         * resolve does (null: they move again).
         */
        public void failMoves(String why) {
            moveFailure = why;
        }

        /** Opens {@code gate}: the calls and boots waiting on it go on. */
        public void open(String gate) {
            gate(gate).complete(null);
        }

        /** The children and spares started so far, in order. */
        public List<ScriptedChild> started() {
            return List.copyOf(started);
        }

        /** Waits until {@code count} children have been started; returns the last of them. */
        public synchronized ScriptedChild awaitStarted(int count) throws InterruptedException {
            while (started.size() < count) {
                wait();
            }
            return started.get(count - 1);
        }

        /** The gate named {@code name}, completed once open; an open one for null. */
        CompletableFuture<Void> gate(String name) {
            return name == null ? CompletableFuture.completedFuture(null)
                    : gates.computeIfAbsent(name, n -> new CompletableFuture<>());
        }
    }
}
