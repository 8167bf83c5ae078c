/**
 * Internal: one child JVM as an OS process (command, JVM options, class-data archive, spare JVM, channel, stderr,
 * exit); thread rule: each child's stdout and stderr have a reader thread of their own, which runs the listener;
 * frames to a child are posted under any lock and written, in order, by one flushing thread at a time; a child
 * is prepared under the pool's lock and launched outside it.
 */
package dev.trampoline.runtime.remote.internal.process;
