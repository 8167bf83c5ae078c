package dev.trampoline.runtime.contract.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Which stored copy each of a child's bundles was installed from, as its boot recorded it before any bundle
 * started ({@link ChildProperties#INSTALLED}): {@code id=sha256@lastModified} per bundle, comma-separated. Should
 * the child make calls of its own, its bundle-set tracker takes these hashes for every bundle not modified since,
 * instead of reading and hashing each bundle again.
 */
public final class InstalledRecord {

    /** One bundle: its id in the child, the hash of the copy it was installed from, and its last-modified time. */
    public record Item(long bundleId, String sha256, long lastModified) {
    }

    private InstalledRecord() {
    }

    /** The record of {@code items}, in their order. */
    public static String format(List<Item> items) {
        StringBuilder record = new StringBuilder();
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            record.append(i == 0 ? "" : ",").append(item.bundleId()).append('=').append(item.sha256()).append('@')
                    .append(item.lastModified());
        }
        return record.toString();
    }

    /**
     * The items of {@code record} (null or empty: none); {@link IllegalArgumentException} naming the first item
     * that is not {@code id=sha256@lastModified}.
     */
    public static List<Item> parse(String record) {
        List<Item> items = new ArrayList<>();
        if (record == null || record.isEmpty()) {
            return items;
        }
        for (String item : record.split(",")) {
            int eq = item.indexOf('=');
            int at = item.lastIndexOf('@');
            if (eq <= 0 || at < eq) {
                throw malformed(item);
            }
            try {
                items.add(new Item(Long.parseLong(item.substring(0, eq)), item.substring(eq + 1, at),
                        Long.parseLong(item.substring(at + 1))));
            } catch (NumberFormatException e) {
                throw malformed(item);
            }
        }
        return items;
    }

    private static IllegalArgumentException malformed(String item) {
        return new IllegalArgumentException("installed record item '" + item
                + "' is not id=sha256@lastModified (" + ChildProperties.INSTALLED + " is set by the child's boot)");
    }
}
