/**
 * Internal: bulk calls in the parent: inputs cut into chunks (one call each), a few chunks per child in flight,
 * answers turned into one outcome per input, in order or as they come; thread rule: the inputs are taken and
 * chunks sent by one thread at a time (under the bulk call's lock), outcomes handed over by one at a time.
 */
package dev.trampoline.runtime.remote.internal.bulk;
