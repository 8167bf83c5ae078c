/** Internal: the hot-deploy folder implementation. Not exported; may change without notice. */
package dev.trampoline.runtime.internal.deploy;
