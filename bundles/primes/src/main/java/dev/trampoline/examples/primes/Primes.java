package dev.trampoline.examples.primes;

import org.osgi.annotation.versioning.ConsumerType;

/** Counts primes: deliberately CPU-heavy, so running it in other JVMs shows real parallel speed-up. */
@ConsumerType
public interface Primes {

    /** The number of primes strictly below {@code limit} (0 when {@code limit <= 2}). */
    long countBelow(long limit);
}
