package dev.trampoline.runtime.internal.deploy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipException;

/**
 * The headers of a jar that decide how it is deployed, read after checking the jar is a complete,
 * readable zip with a bundle manifest.
 */
record BundleJar(String symbolicName, String version, String fragmentHost) {

    /** Why a jar cannot be deployed; the message is written for the user and names no stack. */
    static final class InvalidJarException extends Exception {
        private static final long serialVersionUID = 1L;

        private final boolean mayBeIncomplete;

        InvalidJarException(String message, boolean mayBeIncomplete) {
            super(message);
            this.mayBeIncomplete = mayBeIncomplete;
        }

        /** True when the jar may still be being written, so waiting could help. */
        boolean mayBeIncomplete() {
            return mayBeIncomplete;
        }
    }

    boolean isFragment() {
        return fragmentHost != null;
    }

    /** The host's symbolic name, without attributes or directives. */
    String fragmentHostName() {
        if (fragmentHost == null) {
            return null;
        }
        int semicolon = fragmentHost.indexOf(';');
        return (semicolon < 0 ? fragmentHost : fragmentHost.substring(0, semicolon)).trim();
    }

    static BundleJar read(Path jar) throws InvalidJarException {
        try (JarFile file = new JarFile(jar.toFile(), false)) {
            Manifest manifest = file.getManifest();
            if (manifest == null) {
                throw new InvalidJarException("not an OSGi bundle: the jar has no META-INF/MANIFEST.MF", false);
            }
            Attributes main = manifest.getMainAttributes();
            String bsn = main.getValue("Bundle-SymbolicName");
            if (bsn == null || bsn.isBlank()) {
                throw new InvalidJarException(
                        "not an OSGi bundle: the manifest has no Bundle-SymbolicName header"
                                + " (build it with bnd, or wrap the plain jar as a bundle)", false);
            }
            int semicolon = bsn.indexOf(';');
            String name = (semicolon < 0 ? bsn : bsn.substring(0, semicolon)).trim();
            String version = main.getValue("Bundle-Version");
            return new BundleJar(name, version == null ? "0.0.0" : version.trim(), main.getValue("Fragment-Host"));
        } catch (ZipException e) {
            throw new InvalidJarException("not a readable jar (" + e.getMessage() + "): incomplete or corrupt", true);
        } catch (IOException | SecurityException e) {
            throw new InvalidJarException("cannot read the jar: " + e, true);
        }
    }
}
