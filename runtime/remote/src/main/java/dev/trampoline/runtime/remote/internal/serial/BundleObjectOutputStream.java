package dev.trampoline.runtime.remote.internal.serial;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;

/** Java serialization that writes, next to each class descriptor, the {@link ClassOrigin} of the class. */
final class BundleObjectOutputStream extends ObjectOutputStream {

    BundleObjectOutputStream(OutputStream out) throws IOException {
        super(out);
    }

    @Override
    protected void annotateClass(Class<?> cl) throws IOException {
        writeUTF(ClassOrigin.of(cl));
    }

    @Override
    protected void annotateProxyClass(Class<?> cl) throws IOException {
        Class<?>[] interfaces = cl.getInterfaces();
        for (Class<?> i : interfaces) {
            writeUTF(ClassOrigin.of(i));
        }
    }
}
