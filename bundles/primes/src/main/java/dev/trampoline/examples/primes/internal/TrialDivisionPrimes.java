package dev.trampoline.examples.primes.internal;

import java.util.concurrent.CancellationException;

import org.osgi.service.component.annotations.Component;

import dev.trampoline.examples.primes.Primes;

/**
 * Counts primes by trial division. Slower than a sieve on purpose: the cost grows smoothly with the
 * limit and uses no memory, which is what a CPU-bound benchmark wants.
 */
@Component
public final class TrialDivisionPrimes implements Primes {

    @Override
    public long countBelow(long limit) {
        if (limit <= 2) {
            return 0;
        }
        long count = 1; // 2
        for (long n = 3; n < limit; n += 2) {
            if ((n & 0xFFFF) == 1 && Thread.currentThread().isInterrupted()) {
                // A cancelled call interrupts its thread: stopping is up to the code that runs, so this does.
                throw new CancellationException("counting primes below " + limit + " was cancelled at " + n);
            }
            if (isOddPrime(n)) {
                count++;
            }
        }
        return count;
    }

    private static boolean isOddPrime(long n) {
        for (long d = 3; d * d <= n; d += 2) {
            if (n % d == 0) {
                return false;
            }
        }
        return true;
    }
}
