package dev.trampoline.runtime.remote.internal.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.trampoline.runtime.remote.internal.host.HostPlacement.Choice;

class HostPlacementTest {

    private static final List<Choice<String>> HOSTS = List.of(new Choice<>("a", 1), new Choice<>("b", 3),
            new Choice<>("c", 3));

    @Test
    void localFirstStaysHereWhileHereHasAFreeSlotThenTakesTheHostWithTheMostFreeSlots() {
        assertEquals("here", HostPlacement.LOCAL_FIRST.choose(new Choice<>("here", 1), HOSTS));
        assertEquals("b", HostPlacement.LOCAL_FIRST.choose(new Choice<>("here", 0), HOSTS),
                "the first configured of the hosts with the most free slots");
    }

    @Test
    void withNoFreeSlotAnywhereTheCallWaitsHere() {
        List<Choice<String>> full = List.of(new Choice<>("a", 0), new Choice<>("b", 0));
        assertEquals("here", HostPlacement.LOCAL_FIRST.choose(new Choice<>("here", 0), full));
        assertEquals("here", HostPlacement.MOST_FREE.choose(new Choice<>("here", 0), full));
        assertEquals("here", HostPlacement.LOCAL_FIRST.choose(new Choice<>("here", 0), List.of()));
    }

    @Test
    void mostFreeGoesWhereMostSlotsAreFreeThisMachineFirstAmongEquals() {
        assertEquals("b", HostPlacement.MOST_FREE.choose(new Choice<>("here", 2), HOSTS));
        assertEquals("here", HostPlacement.MOST_FREE.choose(new Choice<>("here", 3), HOSTS));
    }

    @Test
    void namedOnlyNeverSendsAnUnnamedCallToAHost() {
        assertEquals("here", HostPlacement.NAMED_ONLY.choose(new Choice<>("here", 0), HOSTS));
    }

    @Test
    void theConfigurationNamesThePlacementBesideTheHostsAndABadOneIsNamed() {
        Map<String, Object> cfg = Map.of("service.pid", HostsConfiguration.PID, "placement", "most-free",
                "h1.address", "example.org");
        assertEquals(HostPlacement.MOST_FREE, HostsConfiguration.placementOf(cfg));
        assertEquals(1, HostsConfiguration.fromConfiguration(cfg).size(), "the placement is no host");
        assertEquals(HostPlacement.LOCAL_FIRST, HostsConfiguration.placementOf(Map.of("h1.address", "x")));
        assertEquals(HostPlacement.NAMED_ONLY, HostsConfiguration.placementFromFramework(
                Map.of(HostsConfiguration.PID + ".placement", " named-only ")::get));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HostsConfiguration.placementOf(Map.of("placement", "remote-first")));
        assertEquals(HostsConfiguration.PID + ": placement is 'remote-first': expected one of [local-first,"
                + " most-free, named-only]", e.getMessage());
    }
}
