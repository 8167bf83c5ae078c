package dev.trampoline.runtime.internal.shell;

import java.nio.file.Path;
import java.util.List;
import java.util.function.ToIntFunction;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.trampoline.runtime.deploy.DeployService;
import dev.trampoline.runtime.deploy.DeployedArtifact;

/** {@code tramp:deploy}: the watched folders and what became of each file in them. */
@Component(service = DeployCommand.class, property = {
    "osgi.command.scope=tramp",
    "osgi.command.function=deploy"
})
public final class DeployCommand {

    @Reference
    private DeployService deploy;

    @Descriptor("lists the deploy folders and each tracked file: bundle id, symbolic name, version, state, last error;"
            + " a start level where it is not the default"
            + "\n   example: tramp:deploy (drop a bundle jar or a .cfg/.config file in a deploy folder to deploy it)")
    public String deploy() {
        return format(deploy.folders(), deploy::startLevel, deploy.defaultStartLevel(), deploy.artifacts());
    }

    /**
     * The listing; a folder's start level ({@code folderLevel}) and a bundle's are shown where they differ from
     * {@code defaultLevel}, the level of folders named without one.
     */
    static String format(List<Path> folders, ToIntFunction<Path> folderLevel, int defaultLevel,
            List<DeployedArtifact> artifacts) {
        StringBuilder out = new StringBuilder();
        for (Path folder : folders) {
            out.append("Deploy folder ").append(folder);
            int level = folderLevel.applyAsInt(folder);
            if (level != defaultLevel) {
                out.append(" (start level ").append(level).append(')');
            }
            out.append('\n');
            boolean any = false;
            for (DeployedArtifact a : artifacts) {
                if (!folder.equals(a.file().getParent())) {
                    continue;
                }
                any = true;
                out.append(String.format("  %-32s", a.file().getFileName()));
                if (a.kind() == DeployedArtifact.Kind.CONFIGURATION) {
                    out.append(String.format(" %-9s config %s", a.state(), a.configurationPid()));
                } else if (a.bundleId() >= 0) {
                    out.append(String.format(" %-9s bundle %d %s %s", a.state(), a.bundleId(), a.symbolicName(),
                            a.version()));
                    if (a.startLevel() != 0 && a.startLevel() != defaultLevel) {
                        out.append(" level ").append(a.startLevel());
                    }
                } else {
                    out.append(String.format(" %-9s", a.state()));
                }
                out.append('\n');
                if (a.error() != null) {
                    out.append("      error: ").append(a.error()).append('\n');
                }
            }
            if (!any) {
                out.append("  (empty)\n");
            }
        }
        if (folders.isEmpty()) {
            out.append("No deploy folders are watched.\n");
        }
        return out.toString();
    }
}
