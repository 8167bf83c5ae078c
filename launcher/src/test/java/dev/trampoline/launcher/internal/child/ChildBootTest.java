package dev.trampoline.launcher.internal.child;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.trampoline.runtime.contract.internal.SnapshotFile;

class ChildBootTest {

    /** A snapshot of bundles the parent started in {@code startOrder}'s order. */
    private static SnapshotFile snapshot(int... startOrder) {
        List<SnapshotFile.Entry> bundles = new ArrayList<>();
        for (int i = 0; i < startOrder.length; i++) {
            bundles.add(new SnapshotFile.Entry("file:/" + i + ".jar", "b" + i, "1.0.0", "s" + i, 1, true, false,
                    startOrder[i], "start", false, false));
        }
        return new SnapshotFile("h", Path.of("store"), Map.of(), bundles);
    }

    @Test
    void bundlesStartInTheOrderTheParentStartedThem() {
        assertArrayEquals(new int[] {1, 2, 0}, ChildBoot.startOrder(snapshot(2, 0, 1)));
    }

    @Test
    void bundlesStartedTogetherKeepInstallOrder() {
        // Bundles that never started in the parent share a place (a snapshot without start orders reads as install
        // order: SnapshotFileTest).
        assertArrayEquals(new int[] {0, 1, 2}, ChildBoot.startOrder(snapshot(0, 0, 0)));
        assertArrayEquals(new int[] {1, 0, 2}, ChildBoot.startOrder(snapshot(1, 0, 1)));
    }
}
