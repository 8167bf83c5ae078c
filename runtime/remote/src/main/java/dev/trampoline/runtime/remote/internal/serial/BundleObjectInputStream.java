package dev.trampoline.runtime.remote.internal.serial;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;
import java.lang.reflect.Proxy;

import dev.trampoline.runtime.remote.internal.wire.Payload;


/**
 * Java deserialization that loads each class from the origin written next to its descriptor (a bundle of
 * this framework, the host's class path, or the JDK), through a filter that decides which classes may be
 * created at all; and that puts each large byte array back in place of its {@link BlobRef}.
 */
final class BundleObjectInputStream extends ObjectInputStream {

    private final ClassOrigin.Resolver classes;
    private final Payload payload;

    BundleObjectInputStream(Payload payload, ClassOrigin.Resolver classes, ObjectInputFilter filter)
            throws IOException {
        super(payload.stream());
        this.payload = payload;
        this.classes = classes;
        setObjectInputFilter(filter);
        enableResolveObject(true);
    }

    @Override
    protected Object resolveObject(Object obj) throws IOException {
        if (obj instanceof BlobRef ref) {
            if (ref.index < 0 || ref.index >= payload.blobCount()) {
                throw new InvalidObjectException("the stream refers to blob " + ref.index + " of "
                        + payload.blobCount());
            }
            return payload.blob(ref.index); // the filter checks its length like any array's
        }
        return obj;
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
        String origin = readUTF();
        return classes.load(desc.getName(), origin);
    }

    @Override
    protected Class<?> resolveProxyClass(String[] interfaces) throws IOException, ClassNotFoundException {
        Class<?>[] types = new Class<?>[interfaces.length];
        for (int i = 0; i < interfaces.length; i++) {
            types[i] = classes.load(interfaces[i], readUTF());
        }
        ClassLoader loader = types.length == 0 ? null : types[0].getClassLoader();
        try {
            @SuppressWarnings("deprecation")
            Class<?> proxy = Proxy.getProxyClass(loader, types);
            return proxy;
        } catch (IllegalArgumentException e) {
            throw new ClassNotFoundException("cannot define a proxy for " + String.join(", ", interfaces), e);
        }
    }
}
