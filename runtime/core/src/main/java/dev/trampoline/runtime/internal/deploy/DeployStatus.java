package dev.trampoline.runtime.internal.deploy;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.startlevel.BundleStartLevel;

import dev.trampoline.runtime.deploy.DeployService;
import dev.trampoline.runtime.deploy.DeployedArtifact;
import dev.trampoline.runtime.deploy.DeployedArtifact.Kind;

/** The read-only view of the deployer that is registered as {@link DeployService}. */
final class DeployStatus implements DeployService {

    private final BundleContext context;
    private final FolderLevels folders;
    private final DeployRegistry registry;

    DeployStatus(BundleContext context, FolderLevels folders, DeployRegistry registry) {
        this.context = context;
        this.folders = folders;
        this.registry = registry;
    }

    @Override
    public List<Path> folders() {
        return folders.folders();
    }

    @Override
    public int startLevel(Path folder) {
        return folders.levelOf(folder.toAbsolutePath().normalize());
    }

    @Override
    public int defaultStartLevel() {
        return folders.defaultLevel();
    }

    @Override
    public List<DeployedArtifact> artifacts() {
        return registry.all().stream().map(this::describe).sorted(Comparator.comparing(DeployedArtifact::file))
                .toList();
    }

    private DeployedArtifact describe(TrackedFile t) {
        if (t.kind == Kind.CONFIGURATION) {
            return new DeployedArtifact(t.file, t.kind, -1, null, null, t.error == null ? "APPLIED" : "FAILED",
                    t.configurationPid, t.error, 0);
        }
        Bundle b = t.bundleId < 0 ? null : context.getBundle(t.bundleId);
        if (b == null) {
            return new DeployedArtifact(t.file, t.kind, -1, null, null, t.error == null ? "UNINSTALLED" : "FAILED",
                    null, t.error, 0);
        }
        return new DeployedArtifact(t.file, t.kind, b.getBundleId(), b.getSymbolicName(), b.getVersion().toString(),
                stateName(b.getState()), null, t.error, startLevel(b));
    }

    /** The bundle's start level, or 0 once it is uninstalled (it may be, between lookup and question). */
    static int startLevel(Bundle b) {
        try {
            BundleStartLevel level = b.adapt(BundleStartLevel.class);
            return level == null ? 0 : level.getStartLevel();
        } catch (IllegalArgumentException | IllegalStateException uninstalled) {
            return 0;
        }
    }

    static String stateName(int state) {
        return switch (state) {
            case Bundle.ACTIVE -> "ACTIVE";
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.UNINSTALLED -> "UNINSTALLED";
            default -> "UNKNOWN(" + state + ")";
        };
    }
}
