package dev.trampoline.runtime.remote.internal.serial;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.util.List;

import dev.trampoline.runtime.remote.internal.wire.Payload;

/**
 * Java serialization that writes, next to each class descriptor, the {@link ClassOrigin} of the class, and
 * puts large byte arrays aside as blobs (see {@link BlobRef}).
 */
final class BundleObjectOutputStream extends ObjectOutputStream {

    private final List<byte[]> blobs;
    private final boolean copyBlobs;

    /**
     * @param blobs     receives the large byte arrays, in the order of their {@link BlobRef} indexes
     * @param copyBlobs whether a blob is a copy of the array (the payload may be sent later, and the caller
     *                  may reuse its array meanwhile) or the array itself
     */
    BundleObjectOutputStream(OutputStream out, List<byte[]> blobs, boolean copyBlobs) throws IOException {
        super(out);
        this.blobs = blobs;
        this.copyBlobs = copyBlobs;
        enableReplaceObject(true);
    }

    @Override
    protected Object replaceObject(Object obj) {
        // Called once per array: the stream shares the stand-in wherever the same array is referenced again.
        if (obj instanceof byte[] bytes && bytes.length >= Payload.MIN_BLOB_LENGTH) {
            blobs.add(copyBlobs ? bytes.clone() : bytes);
            return new BlobRef(blobs.size() - 1);
        }
        return obj;
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
