package dev.trampoline.runtime.remote.internal.serial;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import org.apache.felix.framework.Felix;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Constants;

import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.trampoline.runtime.remote.internal.ThreadAllocation;

import dev.trampoline.runtime.remote.internal.wire.Payload;
import dev.trampoline.runtime.remote.internal.wire.ReadLimit;

/**
 * Whatever a child sends as a result or failure, reading it (the plain form, or Java serialization through the
 * class filter, in a real framework, with the limits the runtime uses) returns a value or throws
 * {@link Serialization.ReadException}; nothing else, and it does not allocate much more than it was sent. A
 * normal build runs the seeds (real payloads) and saved findings under
 * {@code src/test/resources/.../SerializationFuzzTestInputs/}; {@code JAZZER_FUZZ=1} fuzzes (see the module's
 * README).
 */
class SerializationFuzzTest {

    /** Class descriptors, first use of a class, exception messages: what a read allocates beyond its bytes. */
    private static final long SLACK = 4L * 1024 * 1024;
    /** Objects made from bytes: a reference in an array or table for each byte, an object for a few. */
    private static final long PER_BYTE = 64;

    @TempDir
    static Path cache;
    private static Felix framework;
    private static Serialization serialization;

    @BeforeAll
    static void start() throws Exception {
        framework = new Felix(Map.of(Constants.FRAMEWORK_STORAGE, cache.toString(),
                Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT));
        framework.start();
        serialization = new Serialization(framework.getBundleContext(), ClassFilter.Limits.DEFAULT,
                ReadLimit.DEFAULT_MAX_FRAME);
    }

    @AfterAll
    static void stop() throws Exception {
        framework.stop();
        framework.waitForStop(10_000);
    }

    /**
     * The input is a payload as {@link Payload#toBytes()} writes it (blobs, then the stream), or, when it does not
     * have that layout, the stream alone.
     */
    @FuzzTest(maxDuration = "60s")
    void read(byte[] input) {
        Payload payload;
        try {
            payload = Payload.fromBytes(input);
        } catch (IOException notThatLayout) {
            payload = Payload.of(input);
        }
        read(payload); // loads (and instruments) what this input reaches: not the reader's cost
        long before = ThreadAllocation.bytes();
        read(payload);
        if (ThreadAllocation.counted()) {
            long allocated = ThreadAllocation.bytes() - before;
            long bound = PER_BYTE * input.length + SLACK;
            assertTrue(allocated <= bound, "reading a payload of " + input.length + " bytes allocated " + allocated
                    + " bytes, more than " + bound);
        }
    }

    private static void read(Payload payload) {
        try {
            serialization.read(payload);
        } catch (Serialization.ReadException refused) {
            // the one defined error; anything else thrown fails the fuzz test
        }
    }
}
