package dev.trampoline.runtime.internal.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.trampoline.runtime.deploy.DeployedArtifact.Kind;

/** The order the deployer starts a batch in: start level first, then install order, as the framework does. */
class StartOrderTest {

    private static BundleDeployer.Waiting waiting(String name, long bundleId, int level) {
        TrackedFile t = new TrackedFile(Path.of("/deploy", name + ".jar"), Kind.BUNDLE);
        t.bundleId = bundleId;
        return new BundleDeployer.Waiting(t, null, level);
    }

    @Test
    void lowerLevelsStartFirstThenLowerBundleIds() {
        List<BundleDeployer.Waiting> batch = new ArrayList<>(List.of(waiting("consumer", 20, 3),
                waiting("app", 22, 1), waiting("weaver", 25, 2), waiting("tool", 21, 1), waiting("other", 19, 3)));

        batch.sort(BundleDeployer.START_ORDER);

        assertEquals(List.of("tool", "app", "weaver", "other", "consumer"), batch.stream()
                .map(w -> w.tracked().file.getFileName().toString().replace(".jar", "")).toList());
    }
}
