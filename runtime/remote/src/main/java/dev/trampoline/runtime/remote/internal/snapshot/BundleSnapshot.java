package dev.trampoline.runtime.remote.internal.snapshot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.trampoline.runtime.contract.internal.ContentHash;
import dev.trampoline.runtime.contract.internal.SnapshotFile;

/**
 * The bundle set a child must run: every non-system bundle of the parent, in install order, and the framework
 * properties a child needs to resolve them the same way. Its hash changes when any bundle is installed,
 * updated or uninstalled.
 * <p>
 * Written as the {@link SnapshotFile} the launcher's child main reads: that format is the contract between the two
 * sides.
 */
public record BundleSnapshot(List<BundleEntry> bundles, Map<String, String> frameworkProperties, String hash) {

    public static BundleSnapshot of(List<BundleEntry> bundles, Map<String, String> frameworkProperties) {
        int[] startOrder = startOrder(bundles);
        StringBuilder canonical = new StringBuilder();
        new TreeMap<>(frameworkProperties).forEach((k, v) -> canonical.append(k).append('=').append(v).append('\n'));
        for (int i = 0; i < bundles.size(); i++) {
            BundleEntry b = bundles.get(i);
            canonical.append(b.location()).append('|').append(b.sha256()).append('|').append(b.startLevel())
                    .append('|').append(b.start()).append('|').append(b.lazy()).append('|').append(startOrder[i])
                    .append('\n');
        }
        String hash = ContentHash.sha256(canonical.toString().getBytes(StandardCharsets.UTF_8));
        return new BundleSnapshot(List.copyOf(bundles), Map.copyOf(frameworkProperties), hash);
    }

    /**
     * Each bundle's place in the order a child starts them (0 first): by start level, as the framework starts
     * them, and within a level by the order they started in the parent; ties (bundles that never started) keep
     * install order. The level comes first for a bundle that started late in the parent (its requirements
     * arrived after the bundles of a higher level started, or its level was lowered since): the child starts
     * what the parent would start at a restart, and a bundle of a lower level before any of a higher one.
     */
    static int[] startOrder(List<BundleEntry> bundles) {
        Integer[] byStart = new Integer[bundles.size()];
        for (int i = 0; i < byStart.length; i++) {
            byStart[i] = i;
        }
        java.util.Arrays.sort(byStart, java.util.Comparator.<Integer>comparingInt(i -> bundles.get(i).startLevel())
                .thenComparingLong(i -> bundles.get(i).startSequence()));
        int[] place = new int[byStart.length];
        for (int rank = 0; rank < byStart.length; rank++) {
            place[byStart[rank]] = rank;
        }
        return place;
    }

    /** Writes the snapshot for a child, referring to bundle files in {@code store}. */
    public void writeTo(Path file, ContentStore store) throws IOException {
        int[] startOrder = startOrder(bundles);
        List<SnapshotFile.Entry> entries = new ArrayList<>();
        for (int i = 0; i < bundles.size(); i++) {
            BundleEntry b = bundles.get(i);
            // Held back from starting by the child policy: resolved in the child, so that it is as the parent has it.
            entries.add(new SnapshotFile.Entry(b.location(), b.symbolicName(), b.version(), b.sha256(), b.startLevel(),
                    b.start(), b.lazy(), startOrder[i], b.childRole(), ChildStartPolicy.heldBack(b.childRole()),
                    b.fragment()));
        }
        new SnapshotFile(hash, store.root(), frameworkProperties, entries).write(file);
    }
}
