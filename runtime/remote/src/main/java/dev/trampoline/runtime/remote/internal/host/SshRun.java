package dev.trampoline.runtime.remote.internal.host;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.trampoline.runtime.remote.internal.process.OwnSession;
import dev.trampoline.runtime.remote.internal.thread.Daemons;

/**
 * One short command run on a host through ssh (or srun), to its end: its exit status and what it printed (the first
 * {@value #KEPT} bytes of each stream; a host may print anything). Killed if it has not ended within its bound.
 *
 * @param program what ran it there: ssh or srun, as messages name it
 * @param exit   the exit status of ssh (255: ssh itself failed, else the remote command's), or of srun
 * @param stdout what it printed on stdout
 * @param stderr what it printed on stderr (ssh's own messages too)
 */
record SshRun(String program, int exit, String stdout, String stderr) {

    static final int KEPT = 64 * 1024;
    /** The lines of stderr a message keeps. */
    static final int LINES = 3;

    /** Runs the argument array {@code ssh} (or srun's), with {@code input}'s content (null: none) as its stdin. */
    static SshRun run(List<String> ssh, Path input, long boundMillis) throws IOException {
        Process p = new ProcessBuilder(OwnSession.command(ssh)).start();
        CompletableFuture.delayedExecutor(boundMillis, TimeUnit.MILLISECONDS).execute(p::destroyForcibly);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread errReader = Daemons.thread("trampoline-ssh-err", () -> keep(p.getErrorStream(), err));
        errReader.start();
        try (OutputStream stdin = p.getOutputStream()) {
            if (input != null) {
                Files.copy(input, stdin);
            }
        } catch (IOException e) {
            // ssh ended before it took it all: its status and stderr say why
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        keep(p.getInputStream(), out);
        try {
            int exit = p.waitFor();
            errReader.join();
            return new SshRun(Path.of(ssh.get(0)).getFileName().toString(), exit,
                    out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Reads {@code in} to its end, keeping its first {@value #KEPT} bytes. */
    private static void keep(InputStream in, ByteArrayOutputStream kept) {
        byte[] buffer = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                synchronized (kept) {
                    kept.write(buffer, 0, Math.max(0, Math.min(n, KEPT - kept.size())));
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    /** Why it failed, for a message: its status and the last lines of its stderr. */
    String failure() {
        String last = lastLines(stderr);
        return program + " exited with " + exit + (last.isEmpty() ? "" : ": " + last);
    }

    /**
     * The last {@value #LINES} non-blank lines of {@code text}, joined by spaces, each without its line end: what
     * says why (ssh ends with "Host key verification failed.", after a banner of warnings), at most 1000 chars.
     */
    static String lastLines(String text) {
        List<String> lines = text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        String last = String.join(" ", lines.subList(Math.max(0, lines.size() - LINES), lines.size()));
        return last.length() > 1000 ? "..." + last.substring(last.length() - 1000) : last;
    }
}
