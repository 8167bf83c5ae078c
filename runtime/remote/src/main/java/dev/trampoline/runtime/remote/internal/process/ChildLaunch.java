package dev.trampoline.runtime.remote.internal.process;

import java.nio.file.Path;

/**
 * Where children come from: the java binary, the class path, the child main, and their JVM options.
 *
 * @param java the java binary children run
 * @param classPath the children's class path (the launcher jar)
 * @param mainClass the children's main class
 * @param jvm the options every child's JVM starts with
 * @param starter how a child's process is started and connected
 */
public record ChildLaunch(Path java, String classPath, String mainClass, ChildJvmOptions jvm, ChildStarter starter) {

    /** A launch whose JVM options are made from the class-data archive folder and the option properties. */
    public ChildLaunch(Path java, String classPath, String mainClass, Path archiveDir, boolean cds,
            String jvmOptions, String jit) {
        this(java, classPath, mainClass, new ChildJvmOptions(archiveDir, classPath, cds, jvmOptions, jit),
                ChildStarter.LOCAL);
    }

    /** This launch with children started by {@code other}. */
    public ChildLaunch startedBy(ChildStarter other) {
        return new ChildLaunch(java, classPath, mainClass, jvm, other);
    }
}
