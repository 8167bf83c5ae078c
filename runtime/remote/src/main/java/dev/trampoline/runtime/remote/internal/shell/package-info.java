/** Internal: the {@code tramp:} commands of remote execution. Not exported. */
package dev.trampoline.runtime.remote.internal.shell;
