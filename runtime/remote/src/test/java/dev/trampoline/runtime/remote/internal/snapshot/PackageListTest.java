package dev.trampoline.runtime.remote.internal.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class PackageListTest {

    @Test
    void theSamePackagesInAnotherOrderGiveTheSameList() {
        String one = "org.osgi.framework; version=\"1.10.0\", java.util; version=\"0.0.0.JavaSE_017\",java.io";
        String two = "java.io, org.osgi.framework; version=\"1.10.0\",java.util; version=\"0.0.0.JavaSE_017\"";
        assertEquals(PackageList.canonical(one), PackageList.canonical(two));
        assertEquals("java.io, java.util; version=\"0.0.0.JavaSE_017\", org.osgi.framework; version=\"1.10.0\"",
                PackageList.canonical(one));
    }

    @Test
    void aCommaInsideAQuotedUsesListDoesNotSplitTheClause() {
        assertEquals(List.of("b; uses:=\"x,y\"; version=\"1.0\"", "a"),
                PackageList.clauses("b; uses:=\"x,y\"; version=\"1.0\", a,"));
    }
}
