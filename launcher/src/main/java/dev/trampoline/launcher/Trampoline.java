package dev.trampoline.launcher;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleException;

import dev.trampoline.launcher.internal.DeployFolder;

/**
 * Builds and starts a Trampoline runtime inside the calling JVM.
 *
 * <pre>{@code
 * try (TrampolineRuntime runtime = Trampoline.builder()
 *         .storage(Path.of("work/trampoline"))
 *         .deployFolder(Path.of("plugins"))
 *         .systemPackagesExtra("com.example.api;version=1.0.0")
 *         .start()) {
 *     Greeter greeter = runtime.service(Greeter.class, Duration.ofSeconds(5));
 *     RemoteExecutor executor = runtime.service(RemoteExecutor.class, Duration.ofSeconds(5));
 * }
 * }</pre>
 * Embedded, the runtime watches no deploy folder unless one is named, keeps its storage in a temporary
 * folder that is deleted on close unless {@link #storage(Path)} is given, and runs no interactive shell.
 * A complete program is {@code examples/embedding} (shown in the README).
 */
public final class Trampoline {

    private final List<DeployFolder> deployFolders = new ArrayList<>();
    private final Map<String, String> frameworkProperties = new LinkedHashMap<>();
    private final List<String> systemPackagesExtra = new ArrayList<>();
    private Path storage;
    private boolean clean;
    private boolean shell;
    private boolean shellCommands;
    private String logLevel = "INFO";
    private boolean logToConsole = true;

    private Trampoline() {
    }

    /** A builder with the embedding defaults. */
    public static Trampoline builder() {
        return new Trampoline();
    }

    /**
     * Adds a hot-deploy folder (created if missing). May be called more than once. Its bundles get the default
     * start level: the framework property {@code trampoline.deploy.startLevel}, 1 unless set.
     */
    public Trampoline deployFolder(Path folder) {
        return add(new DeployFolder(folder, DeployFolder.DEFAULT));
    }

    /**
     * Adds a hot-deploy folder whose bundles get start level {@code startLevel}: within a batch, and when the
     * framework starts, bundles of a lower level start (and are {@code ACTIVE}) before those of a higher one.
     * Unless the framework property {@code org.osgi.framework.startlevel.beginning} is given, the framework starts
     * at the highest level of the deploy folders, so that all their bundles run.
     *
     * @throws IllegalArgumentException when {@code startLevel} is below 1, or the folder was added with another level
     */
    public Trampoline deployFolder(Path folder, int startLevel) {
        if (startLevel < 1) {
            throw new IllegalArgumentException("The start level of deploy folder " + folder + " must be 1 or more, not "
                    + startLevel);
        }
        return add(new DeployFolder(folder, startLevel));
    }

    private Trampoline add(DeployFolder folder) {
        DeployFolder absolute = folder.absolute();
        for (DeployFolder known : deployFolders) {
            if (known.folder().equals(absolute.folder())) {
                if (known.startLevel() != absolute.startLevel()) {
                    throw new IllegalArgumentException("Deploy folder " + absolute.folder()
                            + " is added twice, with different start levels; add it once");
                }
                return this;
            }
        }
        deployFolders.add(absolute);
        return this;
    }

    /** Where the framework cache, the log file and runtime data live. Kept across starts. */
    public Trampoline storage(Path folder) {
        storage = folder.toAbsolutePath().normalize();
        return this;
    }

    /** Starts from an empty framework cache, forgetting bundles installed in earlier runs. */
    public Trampoline clean(boolean clean) {
        this.clean = clean;
        return this;
    }

    /** Sets a framework property (visible to bundles through {@code BundleContext.getProperty}). */
    public Trampoline frameworkProperty(String key, String value) {
        frameworkProperties.put(key, value);
        return this;
    }

    /**
     * Shares packages of the host application with the bundles, in {@code Export-Package} syntax
     * ({@code com.example.api;version=1.0.0}). Bundles importing them then see the host's classes, so
     * services can be used from the host with the host's types.
     * <p>
     * The runtime's own API needs no entry: {@code dev.trampoline.runtime.remote},
     * {@code dev.trampoline.runtime.deploy}, {@code org.osgi.util.promise} and {@code org.osgi.util.function} are
     * exported as well whenever the host has them on its class path, at the version its copy exports. A package
     * named here is exported as given, once. Children inherit the list, and start with the host's class path.
     */
    public Trampoline systemPackagesExtra(String packages) {
        systemPackagesExtra.add(packages);
        return this;
    }

    /** Runs the interactive Gogo shell on the JVM's terminal (off by default when embedded). */
    public Trampoline shell(boolean shell) {
        this.shell = shell;
        return this;
    }

    /**
     * Without the interactive shell, still start Gogo's terminal bundle for its commands and argument
     * converters, without a terminal. The command line wants this; an embedding application does not.
     */
    Trampoline shellCommandsWithoutTerminal(boolean on) {
        this.shellCommands = on;
        return this;
    }

    /** The lowest level logged: ERROR, WARN, INFO (default), DEBUG or TRACE. */
    public Trampoline logLevel(String level) {
        this.logLevel = level;
        return this;
    }

    /** Whether log entries also go to standard error (default) or only to the log file. */
    public Trampoline logToConsole(boolean console) {
        this.logToConsole = console;
        return this;
    }

    /**
     * Starts the framework, installs or updates the runtime's own bundles, starts them and waits until the
     * first scan of the deploy folders has been applied.
     *
     * @throws StorageInUseException when another live runtime uses the storage folder (nothing in it is touched)
     * @throws BundleException when the framework cannot start
     * @throws IOException when the storage folder cannot be prepared (the message says why: not writable, …)
     */
    public TrampolineRuntime start() throws BundleException, IOException {
        return TrampolineRuntime.start(new Settings(List.copyOf(deployFolders), storage, clean, shell, shellCommands,
                Map.copyOf(frameworkProperties), List.copyOf(systemPackagesExtra), logLevel, logToConsole));
    }

    /** Everything the builder collected, handed to the runtime as one value. */
    record Settings(List<DeployFolder> deployFolders, Path storage, boolean clean, boolean shell, boolean shellCommands,
            Map<String, String> frameworkProperties, List<String> systemPackagesExtra, String logLevel,
            boolean logToConsole) {
    }
}
