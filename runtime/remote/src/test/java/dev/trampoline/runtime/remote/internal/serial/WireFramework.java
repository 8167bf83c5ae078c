package dev.trampoline.runtime.remote.internal.serial;

import java.nio.file.Path;
import java.util.Map;

import org.apache.felix.framework.Felix;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;

import dev.trampoline.runtime.remote.internal.wire.ReadLimit;

/**
 * A real, empty framework whose deserialization filter allows the wire classes (the host's, as the runtime
 * bundle's are in a real framework), and the {@link Serialization} of it: what tests of chunk and value encoding
 * read and write with.
 */
public final class WireFramework implements AutoCloseable {

    private final Felix framework;
    private final Serialization serialization;

    /** Starts the framework with its cache in {@code cache}. */
    public WireFramework(Path cache) throws BundleException {
        framework = new Felix(Map.of(Constants.FRAMEWORK_STORAGE, cache.toString(),
                Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT,
                ClassFilter.ALLOW_PROPERTY,
                "dev.trampoline.runtime.remote.*,dev.trampoline.runtime.remote.internal.wire.*"));
        framework.start();
        serialization = new Serialization(framework.getBundleContext(), ClassFilter.Limits.DEFAULT,
                ReadLimit.DEFAULT_MAX_FRAME);
    }

    public Serialization serialization() {
        return serialization;
    }

    @Override
    public void close() throws BundleException, InterruptedException {
        framework.stop();
        framework.waitForStop(10_000);
    }
}
