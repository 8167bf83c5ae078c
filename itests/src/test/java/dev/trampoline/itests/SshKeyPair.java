package dev.trampoline.itests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A throwaway ed25519 key pair without a passphrase, made by {@code ssh-keygen} (private key 0600). */
record SshKeyPair(Path privateKey, Path publicKey) {

    static SshKeyPair generate(Path privateKey) throws IOException, InterruptedException {
        CommandRun.succeeding(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "trampoline-itests",
                "-f", privateKey.toString()));
        return new SshKeyPair(privateKey, privateKey.resolveSibling(privateKey.getFileName() + ".pub"));
    }

    /** The public key's line ({@code ssh-ed25519 <base64> <comment>}), as authorized_keys holds it. */
    String publicLine() throws IOException {
        return Files.readString(publicKey).strip();
    }

    /**
     * The known_hosts line that trusts this key as the host key of {@code address} at {@code port} (ssh names a
     * host at port 22 by its address alone).
     */
    String knownHostsLine(String address, int port) throws IOException {
        String[] typeAndKey = publicLine().split(" ");
        String host = port == 22 ? address : "[" + address + "]:" + port;
        return host + " " + typeAndKey[0] + " " + typeAndKey[1];
    }
}
