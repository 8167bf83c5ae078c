package dev.trampoline.runtime.remote.internal.serial.trampolinednsprobe;

import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The handler of {@code trampolinednsprobe:} URLs (found through {@code java.protocol.handler.pkgs}): where the
 * JDK's http handler would resolve the host name to hash a URL, it counts the call, so a test sees whether
 * reading a {@code HashMap<URL, ?>} got that far without a name server.
 */
public final class Handler extends URLStreamHandler {

    public static final AtomicInteger HOST_LOOKUPS = new AtomicInteger();

    @Override
    protected URLConnection openConnection(URL u) {
        throw new UnsupportedOperationException();
    }

    @Override
    protected int hashCode(URL u) {
        HOST_LOOKUPS.incrementAndGet(); // the http handler calls getHostAddress(u) here
        return 1;
    }
}
