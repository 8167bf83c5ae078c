/** Internal: bundle-aware, filtered Java serialization. Not exported. */
package dev.trampoline.runtime.remote.internal.serial;
