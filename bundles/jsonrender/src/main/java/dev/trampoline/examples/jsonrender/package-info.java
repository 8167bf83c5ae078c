/** The example {@link dev.trampoline.examples.jsonrender.JsonRenderer} service: a plugin that uses Jackson. */
@Export
@Version("1.0.0")
package dev.trampoline.examples.jsonrender;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
