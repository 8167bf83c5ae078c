/**
 * Internal: the pool's policy (which child runs a call: reuse, standby, spare, limits, retirement) and the queue
 * of waiting calls; thread rule: the queue's lock is taken before the pool's; under neither is a payload written
 * nor a child's JVM started (they run in the submitting thread or the executor's callbacks pool).
 */
package dev.trampoline.runtime.remote.internal.pool;
