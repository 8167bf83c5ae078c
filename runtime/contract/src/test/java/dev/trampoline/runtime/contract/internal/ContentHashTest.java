package dev.trampoline.runtime.contract.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class ContentHashTest {

    @Test
    void isTheSha256InLowerCaseHex() {
        // The SHA-256 of "abc" (FIPS 180-2, appendix B.1).
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                ContentHash.sha256("abc".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void differsWithTheContent() {
        assertNotEquals(ContentHash.sha256(new byte[] {1}), ContentHash.sha256(new byte[] {2}));
    }
}
