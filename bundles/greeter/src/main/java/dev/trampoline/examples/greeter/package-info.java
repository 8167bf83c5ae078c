/** The example {@link dev.trampoline.examples.greeter.Greeter} service: the smallest useful plugin API. */
@Export
@Version("1.0.0")
package dev.trampoline.examples.greeter;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
