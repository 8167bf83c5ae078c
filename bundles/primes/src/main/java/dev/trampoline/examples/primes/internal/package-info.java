/** Internal: the primes component. Not exported. */
package dev.trampoline.examples.primes.internal;
