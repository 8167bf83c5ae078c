/**
 * Internal: the contract between a parent runtime and its child JVMs, in one place: the child's arguments
 * ({@link dev.trampoline.runtime.contract.internal.ChildArguments}), the snapshot file
 * ({@link dev.trampoline.runtime.contract.internal.SnapshotFile}), the store's layout
 * ({@link dev.trampoline.runtime.contract.internal.StoreLayout}), the installed record
 * ({@link dev.trampoline.runtime.contract.internal.InstalledRecord}), the properties the two sides set and read
 * ({@link dev.trampoline.runtime.contract.internal.ChildProperties}) and the content hash
 * ({@link dev.trampoline.runtime.contract.internal.ContentHash}).
 * <p>
 * Pure JDK code, stateless, safe from any thread. Never exported: the remote and core bundles embed a private copy,
 * the launcher's jar another, so that no class of it is wired between the framework and the class path.
 */
package dev.trampoline.runtime.contract.internal;
