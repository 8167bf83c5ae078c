package dev.trampoline.runtime.remote.internal.agent;

import java.io.IOException;
import java.util.concurrent.CancellationException;

import dev.trampoline.runtime.remote.CallNotSerializableException;
import dev.trampoline.runtime.remote.RemoteMapper;
import dev.trampoline.runtime.remote.internal.serial.Serialization;
import dev.trampoline.runtime.remote.internal.serial.ValueBatch;
import dev.trampoline.runtime.remote.internal.wire.Chunk;
import dev.trampoline.runtime.remote.internal.wire.Failure;

/**
 * Runs one chunk of a bulk call in the child: the mapper on each input, in order. An input's exception becomes
 * that input's failure and the next input runs; an input that could not be sent or read, or a result that
 * cannot be sent back, fails alone too. A virtual-machine error fails the whole chunk (the child's state is
 * unknown after it), and so does the thread's interrupt (the chunk was cancelled: seen between inputs, or as
 * an input's {@code InterruptedException}).
 */
public final class ChunkRunner {

    private ChunkRunner() {
    }

    /**
     * The encoded results of {@code chunk} on {@code service}, input by input: only the current input and result
     * are objects at a time (see {@link ValueBatch}).
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static byte[] run(Object service, Chunk chunk, Serialization serialization) throws IOException {
        ValueBatch.Reader inputs = new ValueBatch.Reader(serialization, chunk.inputs(), (position, why) ->
                serialization.failureOf(new CallNotSerializableException("The child cannot read input "
                        + position + " of the chunk: " + why, null)));
        int count = inputs.count();
        ValueBatch.Writer results = new ValueBatch.Writer(serialization, count, (position, why) ->
                serialization.failureOf(new CallNotSerializableException("Cannot send the result of input " + position
                        + " of the chunk back to the parent: " + why.getMessage(), null)));
        RemoteMapper mapper = (RemoteMapper) chunk.mapper();
        for (int i = 0; i < count; i++) {
            if (Thread.interrupted()) {
                throw new CancellationException("the chunk was cancelled at input " + i + " of " + count);
            }
            Object input = inputs.next();
            if (input instanceof Failure) {
                results.add(input); // it never reached the mapper: its failure goes back as it came
                continue;
            }
            try {
                results.add(mapper.apply(service, input));
            } catch (VirtualMachineError e) {
                throw e;
            } catch (InterruptedException e) { // the chunk was cancelled while this input waited: no more inputs
                throw new CancellationException("the chunk was cancelled at input " + i + " of " + count);
            } catch (Throwable t) { // whatever one input threw, the others run
                if (causedByVirtualMachineError(t)) { // the JVM's state is unknown: the chunk ends, the child retires
                    throw new IllegalStateException("input " + i + " of the chunk failed with a virtual machine"
                            + " error", t);
                }
                results.add(serialization.failureOf(t));
            }
        }
        inputs.end();
        return results.finish();
    }

    private static boolean causedByVirtualMachineError(Throwable t) {
        for (int depth = 0; t != null && depth < 16; t = t.getCause(), depth++) {
            if (t instanceof VirtualMachineError) {
                return true;
            }
        }
        return false;
    }
}
