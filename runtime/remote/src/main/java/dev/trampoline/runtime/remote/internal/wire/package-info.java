/** Internal: the framed, multiplexed protocol between a parent and its children. Not exported. */
package dev.trampoline.runtime.remote.internal.wire;
