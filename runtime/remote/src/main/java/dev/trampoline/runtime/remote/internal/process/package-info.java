/**
 * Internal: one child as an OS process (how it starts, command, JVM options, class-data archive, spare JVM,
 * channel, stderr, exit, its state machine); thread rule: a child's state changes only in its owner's loop; each
 * child's stdout and stderr have a reader thread of their own, which post what they read to that loop; frames
 * to a child are written, in order, by one thread at a time, never by the loop.
 */
package dev.trampoline.runtime.remote.internal.process;
