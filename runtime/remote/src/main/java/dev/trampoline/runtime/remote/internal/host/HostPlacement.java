package dev.trampoline.runtime.remote.internal.host;

import java.util.Arrays;
import java.util.List;

/**
 * Where a call that names no host (nor a JDK) runs when hosts are configured: the {@value #KEY} of the hosts
 * configuration. A host counts only while it is connected (the runtime contacts hosts ahead of calls, and again
 * after a failure's backoff), with its free slots: children it may still start, and its idle children.
 */
public enum HostPlacement {

    /**
     * On this machine while it has a free slot (an idle child, or room for another); else on the host with the
     * most free slots; else here, waiting for a child. The default.
     */
    LOCAL_FIRST("local-first"),
    /** Where the most slots are free, this machine first among equals. */
    MOST_FREE("most-free"),
    /** Always on this machine: hosts run only the calls that name them (or one of their labels). */
    NAMED_ONLY("named-only");

    /** The key in the hosts configuration (and after its prefix in framework properties). */
    public static final String KEY = "placement";

    private final String value;

    HostPlacement(String value) {
        this.value = value;
    }

    /** Somewhere a call may run, with its free slots now. */
    public record Choice<T>(T target, int freeSlots) {
    }

    /**
     * Where a call that names no host runs: {@code here} (this machine) or one of {@code hosts} (in their
     * configured order, which breaks ties), each with its free slots; here when no host has one free.
     */
    public <T> T choose(Choice<T> here, List<Choice<T>> hosts) {
        if (this == NAMED_ONLY || this == LOCAL_FIRST && here.freeSlots() > 0) {
            return here.target();
        }
        Choice<T> best = here;
        for (Choice<T> h : hosts) {
            if (h.freeSlots() > best.freeSlots()) {
                best = h;
            }
        }
        return best.target();
    }

    /** The placement a configuration's {@code text} names (null or blank: the default). */
    static HostPlacement of(String text, String key) {
        if (text == null || text.isBlank()) {
            return LOCAL_FIRST;
        }
        for (HostPlacement p : values()) {
            if (p.value.equals(text.strip())) {
                return p;
            }
        }
        throw new IllegalArgumentException(key + " is '" + text.strip() + "': expected one of "
                + Arrays.stream(values()).map(p -> p.value).toList());
    }

    @Override
    public String toString() {
        return value;
    }
}
