package dev.trampoline.itests;

import static dev.trampoline.itests.DeployFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.util.promise.Promise;

import dev.trampoline.runtime.remote.CallOptions;
import dev.trampoline.runtime.remote.RemoteExecutor;
import dev.trampoline.runtime.remote.RemoteTask;

/**
 * Large byte arrays in arguments, results and exceptions travel beside the object stream, as blobs: intact,
 * shared where they were shared, and as they were when the call was submitted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LargePayloadTest {

    DeployFixture fx;
    RemoteExecutor executor;

    @BeforeAll
    void start(@TempDir Path root) throws Exception {
        fx = DeployFixture.forRemoteCalls(root, Map.of());
        executor = fx.executor();
    }

    @AfterAll
    void stop() {
        fx.close();
    }

    /** Random bytes, the same for the same seed (in the child too: it runs this class). */
    private static byte[] random(int length, long seed) {
        byte[] b = new byte[length];
        new java.util.Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void largeByteArraysCrossBothWaysIntactAndStillShared() throws Exception {
        byte[] big = random(3 * 1024 * 1024, 1);
        byte[] other = random(200_000, 2);
        List<byte[]> arguments = new ArrayList<>(List.of(big, big, other));
        RemoteTask<List<Object>> task = context -> List.of(arguments.get(0) == arguments.get(1),
                Arrays.hashCode(arguments.get(0)), Arrays.hashCode(arguments.get(2)), random(5 * 1024 * 1024, 3));

        @SuppressWarnings("unchecked")
        List<Object> answer = (List<Object>) await(executor.run(task, CallOptions.DEFAULT));

        assertEquals(true, answer.get(0), "one array referenced twice arrived as one array");
        assertEquals(Arrays.hashCode(big), answer.get(1));
        assertEquals(Arrays.hashCode(other), answer.get(2));
        assertTrue(Arrays.equals(random(5 * 1024 * 1024, 3), (byte[]) answer.get(3)), "the result arrived intact");
    }

    /** A failure that carries its data with it. */
    static final class FailedWithData extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final byte[] data;

        FailedWithData(byte[] data) {
            super("failed with " + data.length + " bytes");
            this.data = data;
        }
    }

    @Test
    void exceptionCarryingALargeArrayComesBackWithIt() throws Exception {
        RemoteTask<String> task = context -> {
            throw new FailedWithData(random(2 * 1024 * 1024, 5));
        };

        FailedWithData e = assertThrows(FailedWithData.class, () -> await(executor.run(task, CallOptions.DEFAULT)));

        assertTrue(Arrays.equals(random(2 * 1024 * 1024, 5), e.data), "its array crossed intact");
    }

    @Test
    void arrayRefilledAfterSubmitIsSentAsItWasAtSubmit() throws Exception {
        byte[] buffer = random(1024 * 1024, 4);
        int submitted = Arrays.hashCode(buffer);
        RemoteTask<Integer> task = context -> Arrays.hashCode(buffer);

        // A fresh child: the call waits in the parent until that child is ready, long after the refill below.
        Promise<Integer> answer = executor.run(task, CallOptions.DEFAULT.withFresh(true));
        Arrays.fill(buffer, (byte) 0);

        assertEquals(submitted, await(answer));
    }
}
