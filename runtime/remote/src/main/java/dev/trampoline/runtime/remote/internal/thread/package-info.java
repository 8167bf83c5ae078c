/** Internal: how the runtime's own threads are made. Not exported. */
package dev.trampoline.runtime.remote.internal.thread;
