/**
 * Internal: a child JVM's boot (ChildMain), its prepared cache and the spare JVM it may start as; runs in the child
 * only, on its main thread, except the parent watchdog's own thread. Not API.
 */
package dev.trampoline.launcher.internal.child;
