/**
 * Internal: the RemoteExecutor component (its settings, the bundle set it follows, proxies, the shell's admin
 * view); thread rule: configuration and lifecycle run on SCR's threads, calls on the callers' own.
 */
package dev.trampoline.runtime.remote.internal.executor;
