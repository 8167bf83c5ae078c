package dev.trampoline.runtime.remote.internal.serial;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;

import org.osgi.framework.BundleContext;

import dev.trampoline.runtime.remote.CallNotSerializableException;
import dev.trampoline.runtime.remote.internal.wire.Failure;
import dev.trampoline.runtime.remote.internal.wire.ReadLimit;
import dev.trampoline.runtime.remote.internal.wire.Payload;

/**
 * Turns calls, results and exceptions into bytes and back, bundle-aware and filtered: a method call with plain
 * arguments, and a plain result, in the {@link PlainForm}; the rest through Java serialization.
 */
public final class Serialization {

    private final ClassFilter rules;
    private final ClassOrigin.Resolver classes;
    private final int maxFrame;

    /** Reads and writes in the framework of {@code context}; nothing larger than {@code maxFrame} is written. */
    public Serialization(BundleContext context, ClassFilter.Limits limits, int maxFrame) {
        this.rules = ClassFilter.forFramework(context, limits);
        this.classes = new ClassOrigin.Resolver(context);
        this.maxFrame = maxFrame;
    }

    /**
     * Serializes {@code value}; a part that is not serializable fails here with a message naming its class and
     * where it sits in {@code value}. Large byte arrays are copied into the payload: what the caller does with
     * them afterwards does not change what is sent.
     */
    public Payload write(Object value) {
        return write(value, true, "the call", "Cannot send the call to a child");
    }

    /**
     * {@link #write}, except that large byte arrays are the caller's own, not copies: only for a payload that
     * is written to the channel before the code that made {@code value} runs again (a result, sent at once).
     * An array that other threads still change while it is written goes out as it is then, as it would
     * through plain serialization.
     */
    public Payload writeForImmediateSend(Object value) {
        return write(value, false, "the result", "Cannot send the result back to the parent");
    }

    private Payload write(Object value, boolean copyBlobs, String what, String cannot) {
        if (PlainForm.fits(value)) {
            try {
                return PlainForm.write(value);
            } catch (RuntimeException changedMeanwhile) {
                // the caller's arguments changed while they were written: Java serialization takes them as they are
            }
        }
        StreamBytes bytes = new StreamBytes();
        List<byte[]> blobs = new ArrayList<>(0);
        try (ObjectOutputStream out = new BundleObjectOutputStream(bytes, blobs, copyBlobs)) {
            out.writeObject(value);
        } catch (NotSerializableException e) {
            String where = NonSerializablePath.find(value, e.getMessage(), what);
            throw new CallNotSerializableException(cannot + ": " + e.getMessage()
                    + " is not serializable" + (where == null || where.equals(what) ? "" : " (" + where + ")")
                    + ". Make it Serializable, mark the field transient, or leave it out.", e);
        } catch (IOException | RuntimeException e) {
            if (e instanceof CallNotSerializableException c) {
                throw c;
            }
            throw new CallNotSerializableException(cannot + ": " + e, e);
        }
        Payload payload = bytes.payload(blobs);
        if (payload.size() > maxFrame) {
            throw new CallNotSerializableException(cannot + ": " + payload.size() + " bytes are too many for one frame:"
                    + " the channel takes at most " + maxFrame + " (" + ReadLimit.MAX_FRAME_PROPERTY
                    + "). Split the data over several calls, or raise the limit.", null);
        }
        return payload;
    }

    /**
     * {@code t} as it crosses to the other side: serialized where it can be (else without: a stand-in is built
     * from the description there), and described with JDK types only.
     */
    public Failure failureOf(Throwable t) {
        byte[] serialized;
        try {
            serialized = writeForImmediateSend(t).toBytes();
        } catch (RuntimeException | OutOfMemoryError notSerializable) {
            serialized = null;
        }
        return new Failure(serialized, Failure.Description.of(t));
    }

    /** Reads what {@link #write} wrote, loading classes from this framework through a {@link ClassFilter}. */
    public Object read(Payload data) throws ReadException {
        if (PlainForm.isIn(data)) {
            try {
                return PlainForm.read(data);
            } catch (IOException | RuntimeException e) {
                throw new ReadException("Cannot read a call or result: " + e, e);
            }
        }
        ClassFilter filter = rules.fresh(data.size());
        Object value;
        try (BundleObjectInputStream in = new BundleObjectInputStream(data, classes, filter)) {
            value = in.readObject();
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            // A refusal makes the stream fail, but as whatever the stream was doing then (an InvalidClassException,
            // an InvalidObjectException, a class readObject wrapped it in): the refusal itself says why.
            ClassFilter.Refusal refusal = filter.refusal();
            if (refusal != null) {
                throw new ReadException(refusal.message() + ".", e, true);
            }
            if (e instanceof ClassNotFoundException) {
                throw new ReadException("Cannot deserialize: class " + e.getMessage() + " cannot be loaded", e);
            }
            throw new ReadException("Cannot deserialize: " + (e instanceof InvalidClassException ? e.getMessage()
                    : e.toString()), e);
        } catch (StackOverflowError e) { // a cycle a JDK class recurses through (a set of a list that holds itself)
            throw new ReadException("Cannot deserialize: " + e, e);
        }
        if (filter.refusal() != null) { // a class's readObject caught the refusal and went on: the value is not whole
            throw new ReadException(filter.refusal().message() + ".", null, true);
        }
        return value;
    }

    /** The object stream's bytes, handed to the payload without the copy {@code toByteArray} makes. */
    private static final class StreamBytes extends ByteArrayOutputStream {
        StreamBytes() {
            super(256);
        }

        Payload payload(List<byte[]> blobs) {
            return new Payload(buf, count, blobs);
        }
    }

    /** Deserialization failed; the message says which class or limit was the cause, and by which rule. */
    public static final class ReadException extends Exception {
        private static final long serialVersionUID = 1L;

        private final boolean refused;

        public ReadException(String message, Throwable cause) {
            this(message, cause, false);
        }

        ReadException(String message, Throwable cause, boolean refused) {
            super(message, cause);
            this.refused = refused;
        }

        /** Whether a rule of the {@link ClassFilter} refused the stream (else it was corrupt or a class missing). */
        public boolean refused() {
            return refused;
        }
    }
}
