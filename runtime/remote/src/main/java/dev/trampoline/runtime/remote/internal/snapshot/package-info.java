/** Internal: the bundle-set snapshot and the content-addressed store of bundle revisions. Not exported. */
package dev.trampoline.runtime.remote.internal.snapshot;
