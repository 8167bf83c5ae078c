package dev.trampoline.runtime.remote.internal.host;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.osgi.service.log.Logger;

import dev.trampoline.runtime.remote.internal.process.OwnSession;

/**
 * Starts children on one host with the system's OpenSSH client: the child's channel is the ssh session's stdin and
 * stdout, and ssh's pid is the one the pool lists and kills (its end closes the remote child's channel). The host
 * shares no file with the parent (see {@link HostStarter}); its first contact removes what children that died
 * there left.
 */
public final class SshStarter extends HostStarter {

    /**
     * Starts children on {@code host} from {@code launcherJar}, the runtime's launcher jar on this machine; what the
     * first contact did there goes to {@code log}.
     */
    public SshStarter(RemoteHost host, Path launcherJar, Logger log) {
        super(host, launcherJar, log);
    }

    @Override
    HostContact contact(Path launcherJar, String sha256) throws IOException {
        return HostContact.contact(host(), launcherJar, sha256, words -> host().ssh(RemoteHost.shellLine(words)),
                HostContact.INSPECT, host().tryItYourself());
    }

    @Override
    String program() {
        return "ssh";
    }

    @Override
    Process launch(List<String> words, HostContact contacted) throws IOException {
        List<String> line = new ArrayList<>(words.size() + 1);
        line.add("exec");
        line.addAll(words);
        return new ProcessBuilder(OwnSession.command(host().ssh(RemoteHost.shellLine(line)))).start();
    }
}
