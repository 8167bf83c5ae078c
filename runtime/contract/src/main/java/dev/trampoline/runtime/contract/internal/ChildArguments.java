package dev.trampoline.runtime.contract.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The arguments of a child's main class ({@value #MAIN_CLASS}), built by the parent and parsed by the child: the
 * snapshot file it runs, its private folder, the parent's pid (the child watches that process) and whether it
 * starts the runtime's own bundles only (the class-data training child). Flag and value alternate, so that a
 * spare JVM, handed them one per line, reads exactly what a child started with them would.
 *
 * @param snapshot    the snapshot file ({@value #SNAPSHOT})
 * @param storage     the child's private folder ({@value #STORAGE})
 * @param parentPid   the pid of the parent that started it ({@value #PARENT}), or null
 * @param runtimeOnly whether no plugin bundle starts ({@value #RUNTIME_ONLY})
 */
public record ChildArguments(Path snapshot, Path storage, String parentPid, boolean runtimeOnly) {

    /** The launcher's class a child JVM runs (the parent's default; the launcher checks it is its own). */
    public static final String MAIN_CLASS = "dev.trampoline.launcher.internal.child.ChildMain";
    public static final String SNAPSHOT = "--snapshot";
    public static final String STORAGE = "--storage";
    public static final String PARENT = "--parent";
    public static final String RUNTIME_ONLY = "--runtime-only";

    /** The arguments, in the order the child's main reads them. */
    public List<String> toList() {
        List<String> args = new ArrayList<>();
        args.add(SNAPSHOT);
        args.add(snapshot.toString());
        args.add(STORAGE);
        args.add(storage.toString());
        if (parentPid != null) {
            args.add(PARENT);
            args.add(parentPid);
        }
        if (runtimeOnly) {
            args.add(RUNTIME_ONLY);
            args.add("true");
        }
        return args;
    }

    /**
     * Parses a child's arguments; {@link IllegalArgumentException} with a one-line reason if a flag is unknown,
     * lacks its value, or {@value #SNAPSHOT} or {@value #STORAGE} is missing.
     */
    public static ChildArguments parse(String[] args) {
        String snapshot = null;
        String storage = null;
        String parent = null;
        boolean runtimeOnly = false;
        for (int i = 0; i < args.length; i += 2) {
            String value = value(args, i);
            switch (args[i]) {
                case SNAPSHOT -> snapshot = value;
                case STORAGE -> storage = value;
                case PARENT -> parent = value;
                case RUNTIME_ONLY -> runtimeOnly = Boolean.parseBoolean(value);
                default -> throw unknown(args[i], SNAPSHOT + ", " + STORAGE + ", " + PARENT + " or " + RUNTIME_ONLY);
            }
        }
        if (snapshot == null || storage == null) {
            throw new IllegalArgumentException("missing " + (snapshot == null ? SNAPSHOT : STORAGE)
                    + ": a child is started by its parent runtime, which passes " + SNAPSHOT + " and " + STORAGE);
        }
        return new ChildArguments(Path.of(snapshot), Path.of(storage), parent, runtimeOnly);
    }

    /**
     * The arguments of a spare JVM ({@value #FLAG} first): the folder it prepares its future child in and the
     * snapshot it prepares and warms up on. Either may be null: it then only waits for its child's arguments.
     *
     * @param storage      the folder of the child it will be ({@value ChildArguments#STORAGE}), or null
     * @param warmSnapshot the snapshot to prepare ahead ({@value #WARM_SNAPSHOT}), or null
     */
    public record Spare(Path storage, Path warmSnapshot) {

        public static final String FLAG = "--spare";
        public static final String WARM_SNAPSHOT = "--warm-snapshot";

        /** Whether {@code args} start a spare rather than a child. */
        public static boolean isSpare(String[] args) {
            return args.length > 0 && args[0].equals(FLAG);
        }

        public List<String> toList() {
            List<String> args = new ArrayList<>();
            args.add(FLAG);
            if (storage != null) {
                args.add(STORAGE);
                args.add(storage.toString());
            }
            if (warmSnapshot != null) {
                args.add(WARM_SNAPSHOT);
                args.add(warmSnapshot.toString());
            }
            return args;
        }

        /** Parses a spare's arguments ({@value #FLAG} first); a bad one is an {@link IllegalArgumentException}. */
        public static Spare parse(String[] args) {
            if (!isSpare(args)) {
                throw new IllegalArgumentException("a spare's arguments start with " + FLAG);
            }
            String storage = null;
            String warm = null;
            for (int i = 1; i < args.length; i += 2) {
                String value = value(args, i);
                switch (args[i]) {
                    case STORAGE -> storage = value;
                    case WARM_SNAPSHOT -> warm = value;
                    default -> throw unknown(args[i], STORAGE + " or " + WARM_SNAPSHOT);
                }
            }
            return new Spare(storage == null ? null : Path.of(storage), warm == null ? null : Path.of(warm));
        }
    }

    /**
     * The arguments of a child on another host ({@value #FLAG} first): its work folder on that host, which holds
     * the host's content store and the children's private folders. All else comes over its channel before it
     * boots (see {@link ChannelBoot}): that host shares no file with the parent.
     *
     * @param work the work folder on the child's host ({@value #WORK})
     */
    public record Remote(Path work) {

        public static final String FLAG = "--remote";
        public static final String WORK = "--work";

        /** Whether {@code args} start a child that boots over its channel. */
        public static boolean isRemote(String[] args) {
            return args.length > 0 && args[0].equals(FLAG);
        }

        public List<String> toList() {
            return List.of(FLAG, WORK, work.toString());
        }

        /** Parses a remote child's arguments ({@value #FLAG} first); a bad one is an {@link IllegalArgumentException}. */
        public static Remote parse(String[] args) {
            if (!isRemote(args)) {
                throw new IllegalArgumentException("a remote child's arguments start with " + FLAG);
            }
            String work = null;
            for (int i = 1; i < args.length; i += 2) {
                String value = value(args, i);
                if (!args[i].equals(WORK)) {
                    throw unknown(args[i], WORK);
                }
                work = value;
            }
            if (work == null) {
                throw new IllegalArgumentException("missing " + WORK + ": a remote child is started by its parent"
                        + " runtime, which passes it");
            }
            return new Remote(Path.of(work));
        }
    }

    private static String value(String[] args, int flag) {
        if (flag + 1 >= args.length) {
            throw new IllegalArgumentException(args[flag] + " needs a value");
        }
        return args[flag + 1];
    }

    private static IllegalArgumentException unknown(String flag, String known) {
        return new IllegalArgumentException("unknown argument '" + flag + "' (expected " + known
                + "): the child and its parent must come from the same launcher");
    }
}
