package dev.trampoline.launcher.internal.child;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.trampoline.runtime.contract.internal.ChildArguments;

class SpareChildTest {

    @Test
    void readsOneArgumentPerLineUpToAnEmptyLineAndLeavesTheRestOfTheChannel() throws Exception {
        InputStream channel = new ByteArrayInputStream(
                "--snapshot\n/tmp/a b/s\u00e9.properties\n\nFRAMES".getBytes(StandardCharsets.UTF_8));

        String[] args = SpareChild.start(new String[] {ChildArguments.Spare.FLAG}).awaitArguments(channel);

        assertArrayEquals(new String[] {"--snapshot", "/tmp/a b/s\u00e9.properties"}, args);
        assertEquals("FRAMES", new String(channel.readAllBytes(), StandardCharsets.US_ASCII));
    }

    @Test
    void aChannelThatEndsFirstMeansTheSpareWasNeverNeeded() throws Exception {
        InputStream channel = new ByteArrayInputStream("--snapshot\n".getBytes(StandardCharsets.UTF_8));

        assertNull(SpareChild.start(new String[] {ChildArguments.Spare.FLAG}).awaitArguments(channel));
    }
}
