/**
 * The seed's scenario as a plugin: a {@link dev.trampoline.examples.jobs.JobRunner} service whose background
 * job ({@code execBg}, the seed's {@code exec_bg}) the plugin runs in a child JVM, with arguments and results
 * of its own classes.
 */
@Export
@Version("1.0.0")
package dev.trampoline.examples.jobs;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
