/**
 * Internal: one call's life in the parent (pending call, the caller's promise, its answer, the caller's brief
 * active wait); thread rule: any thread may settle a call, exactly one wins ({@code PendingCall.settle}).
 */
package dev.trampoline.runtime.remote.internal.call;
