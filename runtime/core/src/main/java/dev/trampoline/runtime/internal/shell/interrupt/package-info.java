/**
 * Internal: Ctrl-C for a shell command that waits
 * ({@link dev.trampoline.runtime.internal.shell.interrupt.ShellInterrupts}).
 * Not exported: the remote bundle embeds a private copy (bnd {@code -includepackage}), so that no class of it is
 * wired between the two bundles; each copy installs its own handler for the command it runs.
 */
package dev.trampoline.runtime.internal.shell.interrupt;
