/** The example {@link dev.trampoline.examples.primes.Primes} service: CPU-bound work worth sending to a child. */
@Export
@Version("1.0.0")
package dev.trampoline.examples.primes;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
