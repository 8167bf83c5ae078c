package dev.trampoline.examples.primes.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.CancellationException;

import org.junit.jupiter.api.Test;

class TrialDivisionPrimesTest {

    private final TrialDivisionPrimes primes = new TrialDivisionPrimes();

    @Test
    void countsPrimesBelowTheLimit() {
        assertEquals(0, primes.countBelow(2));
        assertEquals(1, primes.countBelow(3));
        assertEquals(4, primes.countBelow(10));
        assertEquals(25, primes.countBelow(100));
        assertEquals(9592, primes.countBelow(100_000));
    }

    @Test
    void anInterruptedCountStopsWithACancellation() {
        Thread.currentThread().interrupt();
        try {
            CancellationException e = assertThrows(CancellationException.class,
                    () -> primes.countBelow(Long.MAX_VALUE));
            assertEquals("counting primes below 9223372036854775807 was cancelled at 65537", e.getMessage());
        } finally {
            Thread.interrupted();
        }
    }
}
