/**
 * Internal: the pool's policy (which child runs a call: reuse, standby, spare, limits, retirement), the queue of
 * waiting calls and their owner; thread rule: the queue, the pool and every child's state change only in events
 * of the {@code PoolLoop}, which never block: JVM starts, payload writes and channel closes run on workers.
 */
package dev.trampoline.runtime.remote.internal.pool;
