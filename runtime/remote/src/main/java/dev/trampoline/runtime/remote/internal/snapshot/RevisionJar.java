package dev.trampoline.runtime.remote.internal.snapshot;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.osgi.framework.Bundle;

/**
 * The content of the revision a bundle runs now, as a jar: every entry of the bundle itself (not of its
 * fragments), in a fixed order with fixed timestamps, manifest first. The same revision always gives the same
 * bytes, so their SHA-256 names the revision. This works however the bundle was installed (a file, a stream,
 * a URL), with only the OSGi API: the framework keeps the revision's entries, not always the original bytes.
 */
public final class RevisionJar {

    private static final long FIXED_TIME = 315532800000L; // 1980-01-01, the zip epoch

    private RevisionJar() {
    }

    /**
     * The revision's jar; {@link Incomplete} if its entries could not all be read (no manifest among them: the
     * framework was swapping the bundle's revision, during an update), which must never be stored as that bundle.
     */
    public static byte[] of(Bundle bundle) throws IOException {
        List<String> paths = new ArrayList<>();
        collect(bundle, "/", paths);
        paths.sort(RevisionJar::manifestFirst);
        if (paths.size() < 2 || rank(paths.get(1)) != 1) {
            throw new Incomplete("no manifest among the " + paths.size() + " entries of " + bundle.getSymbolicName()
                    + " [" + bundle.getBundleId() + "]: it changed while it was read");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            // The copy is read once or twice (a child installs it, the prepared cache links it): the fastest
            // compression costs a few percent more bytes and much less time than the default level.
            zip.setLevel(Deflater.BEST_SPEED);
            for (String path : paths) {
                ZipEntry entry = new ZipEntry(path);
                entry.setTime(FIXED_TIME);
                zip.putNextEntry(entry);
                if (!path.endsWith("/")) {
                    URL url = bundle.getEntry(path);
                    if (url == null) {
                        throw new IOException("entry " + path + " vanished while reading " + bundle.getSymbolicName());
                    }
                    try (InputStream in = url.openStream()) {
                        in.transferTo(zip);
                    }
                }
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** The bundle's entries could not be read whole: read it again once its update is over. */
    public static final class Incomplete extends IOException {

        private static final long serialVersionUID = 1L;

        Incomplete(String message) {
            super(message);
        }
    }

    private static void collect(Bundle bundle, String dir, List<String> into) {
        Enumeration<String> children = bundle.getEntryPaths(dir);
        if (children == null) {
            return;
        }
        while (children.hasMoreElements()) {
            String path = children.nextElement();
            if (path.startsWith("/")) {
                path = path.substring(1);
            }
            into.add(path);
            if (path.endsWith("/")) {
                collect(bundle, path, into);
            }
        }
    }

    /** {@code META-INF/} and the manifest lead, so {@code JarInputStream} finds the manifest. */
    private static int manifestFirst(String a, String b) {
        return Integer.compare(rank(a), rank(b)) != 0 ? Integer.compare(rank(a), rank(b)) : a.compareTo(b);
    }

    private static int rank(String path) {
        if (path.equals("META-INF/")) {
            return 0;
        }
        if (path.equalsIgnoreCase("META-INF/MANIFEST.MF")) {
            return 1;
        }
        return 2;
    }
}
