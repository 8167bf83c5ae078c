/** Internal: child processes as the parent sees them: launch, connection, pool. Not exported. */
package dev.trampoline.runtime.remote.internal.child;
