package dev.trampoline.runtime.remote.internal.serial;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;
import java.lang.reflect.Proxy;

import dev.trampoline.runtime.remote.internal.wire.Payload;


/**
 * Java deserialization that loads each class from the origin written next to its descriptor (a bundle of
 * this framework, the host's class path, or the JDK), through a filter that decides which classes may be
 * created at all; that refuses an object the filter could not judge by its class (a lambda comparator or
 * handler, see {@link GadgetRules#refusalOf(Object)}) before anything holding it can use it; and that puts each
 * large byte array back in place of its {@link BlobRef}.
 */
final class BundleObjectInputStream extends ObjectInputStream {

    private final ClassOrigin.Resolver classes;
    private final Payload payload;
    private final ClassFilter filter;

    BundleObjectInputStream(Payload payload, ClassOrigin.Resolver classes, ClassFilter filter)
            throws IOException {
        super(payload.stream());
        this.payload = payload;
        this.classes = classes;
        this.filter = filter;
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
        // Called for each object once read, before the object that refers to it gets it (a PriorityQueue its
        // comparator, before it sorts): a refusal here comes before any such use.
        String refusal = obj == null ? null : GadgetRules.refusalOf(obj);
        if (refusal != null) {
            filter.refuse(new ClassFilter.Refusal(obj.getClass().getName(), refusal));
            throw new InvalidObjectException("Refused " + obj.getClass().getName() + ": " + refusal);
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
