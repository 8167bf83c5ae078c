package dev.trampoline.itests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A sshd's standard error (where {@code -e} sends its log), read from its start to its end by a thread of its
 * own, so that sshd never blocks on a full pipe, and the first thing it tells: it listens, or it ended first.
 */
final class SshdLog {

    /** What sshd did first. */
    enum Start { LISTENING, ADDRESS_IN_USE, ENDED }

    private final StringBuilder text = new StringBuilder();
    private final CompletableFuture<Start> start = new CompletableFuture<>();
    private final Thread reader;

    SshdLog(Process sshd, String address, int port) {
        String listening = "Server listening on " + address + " port " + port + ".";
        reader = new Thread(() -> read(sshd, listening), "sshd log, port " + port);
        reader.setDaemon(true);
        reader.start();
    }

    /** Waits until sshd listens or ends; {@code limit} is only a bound against a hang. */
    Start awaitStart(Duration limit) throws InterruptedException, TimeoutException {
        try {
            return start.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Waits (up to {@code limit}) until sshd and every process it started have closed its standard error. */
    void awaitEnd(Duration limit) throws InterruptedException {
        reader.join(limit.toMillis());
    }

    synchronized String text() {
        return text.toString();
    }

    private void read(Process sshd, String listening) {
        boolean addressInUse = false;
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(sshd.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                synchronized (this) {
                    text.append(line).append('\n');
                }
                addressInUse |= line.contains("Address already in use");
                if (line.equals(listening)) {
                    start.complete(Start.LISTENING);
                }
            }
        } catch (IOException e) {
            start.completeExceptionally(new UncheckedIOException("reading sshd's log", e));
        } finally {
            start.complete(addressInUse ? Start.ADDRESS_IN_USE : Start.ENDED);
        }
    }
}
