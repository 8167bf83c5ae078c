/** Internal: the {@code tramp:} Gogo commands of the core bundle. Not exported; may change without notice. */
package dev.trampoline.runtime.internal.shell;
