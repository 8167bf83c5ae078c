package dev.trampoline.runtime.remote.internal.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.Test;

import com.sun.management.HotSpotDiagnosticMXBean;

class IdleCollectionTest {

    private static final HotSpotDiagnosticMXBean VM = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);

    @Test
    void heapRatioIsLoweredForTheCollectionOnlyAndSetBack() {
        String min = VM.getVMOption("MinHeapFreeRatio").getValue();
        String max = VM.getVMOption("MaxHeapFreeRatio").getValue();
        try {
            // a child's ratios
            VM.setVMOption("MinHeapFreeRatio", "10");
            VM.setVMOption("MaxHeapFreeRatio", "30");
            IdleCollection collection = IdleCollection.create();
            assertNotNull(collection.option("MaxHeapFreeRatio"), "the ratio can be read on this JDK");

            collection.run();

            assertEquals("30", VM.getVMOption("MaxHeapFreeRatio").getValue());
            assertEquals("10", VM.getVMOption("MinHeapFreeRatio").getValue());
        } finally {
            VM.setVMOption("MaxHeapFreeRatio", max);
            VM.setVMOption("MinHeapFreeRatio", min);
        }
    }

    @Test
    void ratiosItCannotLowerAreLeftAlone() {
        String min = VM.getVMOption("MinHeapFreeRatio").getValue();
        String max = VM.getVMOption("MaxHeapFreeRatio").getValue();
        try {
            VM.setVMOption("MaxHeapFreeRatio", "60");
            VM.setVMOption("MinHeapFreeRatio", "40"); // a user's own, above the idle target

            IdleCollection.create().run();

            assertEquals("60", VM.getVMOption("MaxHeapFreeRatio").getValue());
            assertEquals("40", VM.getVMOption("MinHeapFreeRatio").getValue());
        } finally {
            VM.setVMOption("MinHeapFreeRatio", "0");
            VM.setVMOption("MaxHeapFreeRatio", max);
            VM.setVMOption("MinHeapFreeRatio", min);
        }
    }
}
