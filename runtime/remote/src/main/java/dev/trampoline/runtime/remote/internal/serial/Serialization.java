package dev.trampoline.runtime.remote.internal.serial;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;

import org.osgi.framework.BundleContext;

import dev.trampoline.runtime.remote.CallNotSerializableException;

/** Turns calls, results and exceptions into bytes and back, bundle-aware and filtered. */
public final class Serialization {

    private final ClassFilter rules;
    private final ClassOrigin.Resolver classes;

    public Serialization(BundleContext context, ClassFilter.Limits limits) {
        this.rules = ClassFilter.forFramework(context, limits);
        this.classes = new ClassOrigin.Resolver(context);
    }

    /**
     * Serializes {@code value}; a part that is not serializable fails here with a message naming its class and
     * where it sits in {@code value}.
     */
    public byte[] write(Object value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (ObjectOutputStream out = new BundleObjectOutputStream(bytes)) {
            out.writeObject(value);
        } catch (NotSerializableException e) {
            String where = NonSerializablePath.find(value, e.getMessage());
            throw new CallNotSerializableException("Cannot send the call to a child: " + e.getMessage()
                    + " is not serializable" + (where == null ? "" : " (" + where + ")")
                    + ". Make it Serializable, mark the field transient, or do not capture it.", e);
        } catch (IOException | RuntimeException e) {
            if (e instanceof CallNotSerializableException c) {
                throw c;
            }
            throw new CallNotSerializableException("Cannot serialize the call: " + e, e);
        }
        return bytes.toByteArray();
    }

    /** Reads what {@link #write} wrote, loading classes from this framework through a {@link ClassFilter}. */
    public Object read(byte[] data) throws ReadException {
        ClassFilter filter = rules.fresh();
        try (BundleObjectInputStream in = new BundleObjectInputStream(new ByteArrayInputStream(data), classes, filter)) {
            return in.readObject();
        } catch (InvalidClassException e) {
            if (filter.rejectedClass() != null) {
                throw new ReadException("Refused to deserialize " + filter.rejectedClass()
                        + ": it comes neither from a bundle of the snapshot nor from the allowed JDK classes."
                        + " Allow it with the framework property " + ClassFilter.ALLOW_PROPERTY + " if it is safe.", e);
            }
            throw new ReadException("Cannot deserialize: " + e.getMessage(), e);
        } catch (ClassNotFoundException e) {
            throw new ReadException("Cannot deserialize: class " + e.getMessage() + " cannot be loaded", e);
        } catch (IOException | RuntimeException e) {
            throw new ReadException("Cannot deserialize: " + e, e);
        }
    }

    /** Deserialization failed; the message says which class or limit was the cause. */
    public static final class ReadException extends Exception {
        private static final long serialVersionUID = 1L;

        public ReadException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
