/**
 * Run plugin services in child JVMs. A child boots its own framework, reinstalls exactly the bundle set the
 * parent runs, and only then deserializes the call, so classes of bundles installed at run time resolve in
 * the child as they do in the parent.
 * <p>
 * Get the {@link dev.trampoline.runtime.remote.RemoteExecutor} service and submit a
 * {@link dev.trampoline.runtime.remote.RemoteFunction} of a service; the result comes back as a
 * {@link org.osgi.util.promise.Promise}.
 */
@Export
@Version("1.1.0")
package dev.trampoline.runtime.remote;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
