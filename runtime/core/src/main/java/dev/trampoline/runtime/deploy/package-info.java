/**
 * The hot-deploy folders as a service: which folders are watched and what became of each file in them.
 * <p>
 * The runtime registers one {@link dev.trampoline.runtime.deploy.DeployService} once the first scan of its
 * deploy folders has settled, so waiting for that service is waiting for the deployed bundles to be there.
 */
@Export
@Version("1.1.0")
package dev.trampoline.runtime.deploy;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
