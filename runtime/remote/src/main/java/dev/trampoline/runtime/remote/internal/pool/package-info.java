/**
 * Internal: the pool's policy (which child runs a call: reuse, standby, spare, limits, retirement) and the queue
 * of waiting calls; thread rule: the queue's lock is taken before the pool's, and no payload is written under
 * either (JVMs still start under them).
 */
package dev.trampoline.runtime.remote.internal.pool;
