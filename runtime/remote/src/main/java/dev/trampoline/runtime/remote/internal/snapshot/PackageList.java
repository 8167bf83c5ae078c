package dev.trampoline.runtime.remote.internal.snapshot;

import java.util.ArrayList;
import java.util.List;

/**
 * An OSGi package list ({@code org.osgi.framework.system.packages} and the like) in a canonical order. Felix
 * computes the system packages from the JDK's modules in hash-set order, which differs from one start of the
 * runtime to the next; the order means nothing to the resolver, so sorting the clauses lets the same bundle set
 * keep the same snapshot hash (and the same prepared child cache) across restarts.
 */
final class PackageList {

    private PackageList() {
    }

    /** The clauses of {@code list}, trimmed and sorted, joined by {@code ", "}. */
    static String canonical(String list) {
        List<String> clauses = clauses(list);
        clauses.sort(null);
        return String.join(", ", clauses);
    }

    /** Splits at the commas between clauses: a comma inside a quoted value (a {@code uses} list) is kept. */
    static List<String> clauses(String list) {
        List<String> clauses = new ArrayList<>();
        StringBuilder clause = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < list.length(); i++) {
            char c = list.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                add(clauses, clause);
                clause.setLength(0);
            } else {
                clause.append(c);
            }
        }
        add(clauses, clause);
        return clauses;
    }

    private static void add(List<String> clauses, StringBuilder clause) {
        String c = clause.toString().trim();
        if (!c.isEmpty()) {
            clauses.add(c);
        }
    }
}
