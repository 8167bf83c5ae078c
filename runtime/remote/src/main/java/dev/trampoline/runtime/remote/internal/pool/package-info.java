/**
 * Internal: the pool's policy (which child runs a call: reuse, standby, spare, limits, retirement) and the queue
 * of waiting calls; thread rule: the pool and the queue each change under their own lock, taken pool inside queue.
 */
package dev.trampoline.runtime.remote.internal.pool;
