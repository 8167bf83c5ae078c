package dev.trampoline.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Properties;

import org.junit.jupiter.api.Test;

class ChildBootTest {

    @Test
    void bundlesStartInTheOrderTheParentStartedThem() {
        Properties snapshot = new Properties();
        snapshot.setProperty("bundle.0.startOrder", "2");
        snapshot.setProperty("bundle.1.startOrder", "0");
        snapshot.setProperty("bundle.2.startOrder", "1");
        assertArrayEquals(new int[] {1, 2, 0}, ChildBoot.startOrder(snapshot, 3));
    }

    @Test
    void aSnapshotWithoutAnOrderStartsInInstallOrder() {
        assertArrayEquals(new int[] {0, 1, 2}, ChildBoot.startOrder(new Properties(), 3));
    }
}
