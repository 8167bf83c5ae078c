package dev.trampoline.runtime.remote.internal.host;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The hosts children may run on, from the {@value #PID} configuration ({@code <name>.<field>} keys, so that a
 * {@code dev.trampoline.remote.hosts.cfg} in a deploy folder works) or, while there is none, from framework
 * properties ({@value #PID}{@code =name,name} and {@value #PID}{@code .<name>.<field>}). The fields:
 * {@value #ADDRESS} (default: the name), {@value #USER}, {@value #PORT}, {@value #SLOTS} (default 1),
 * {@value #JAVA} (default {@code java}), {@value #WORK} (default {@value RemoteHost#DEFAULT_WORK}),
 * {@value #SSH_CONFIG}, {@value #LABELS} (comma-separated), {@value #VIA} ({@value #VIA_SSH}, the default, or
 * {@value #VIA_SLURM}). A host via Slurm (see {@link SlurmOptions}) takes {@value #PARTITION}, {@value #ACCOUNT},
 * {@value #TIME_LIMIT}, {@value #SRUN} (default {@code srun}) and {@value #SRUN_OPTIONS} (words separated by
 * spaces) instead of the ssh fields. One key names no host: {@value HostPlacement#KEY} (see {@link HostPlacement};
 * {@value #PID}{@code .placement} as a framework property). A bad value, an unknown field or a field of the other
 * kind of host is an {@link IllegalArgumentException} naming its key.
 */
public final class HostsConfiguration {

    /** The configuration's PID, and the framework properties' prefix. */
    public static final String PID = "dev.trampoline.remote.hosts";
    static final String ADDRESS = "address";
    static final String USER = "user";
    static final String PORT = "port";
    static final String SLOTS = "slots";
    static final String JAVA = "java";
    static final String WORK = "work";
    static final String SSH_CONFIG = "sshConfig";
    static final String LABELS = "labels";
    static final String VIA = "via";
    static final String VIA_SSH = "ssh";
    static final String VIA_SLURM = "slurm";
    static final String PARTITION = "partition";
    static final String ACCOUNT = "account";
    static final String TIME_LIMIT = "timeLimit";
    static final String SRUN = "srun";
    static final String SRUN_OPTIONS = "srunOptions";
    private static final Set<String> SSH_FIELDS = Set.of(ADDRESS, USER, PORT, SSH_CONFIG);
    private static final Set<String> SLURM_FIELDS = Set.of(PARTITION, ACCOUNT, TIME_LIMIT, SRUN, SRUN_OPTIONS);
    private static final Set<String> FIELDS = Set.of(ADDRESS, USER, PORT, SLOTS, JAVA, WORK, SSH_CONFIG, LABELS, VIA,
            PARTITION, ACCOUNT, TIME_LIMIT, SRUN, SRUN_OPTIONS);
    /** srun's --time: minutes, m:s, h:m:s, d-h, d-h:m or d-h:m:s. */
    private static final Pattern TIME = Pattern.compile("\\d+(:\\d+){0,2}|\\d+-\\d+(:\\d+){0,2}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");
    /** The first parts of the keys a configuration or a component has, which name no host. */
    private static final Set<String> RESERVED = Set.of("service", "component", "osgi", "felix", "objectClass");

    private HostsConfiguration() {
    }

    /** The hosts of a {@value #PID} configuration's properties, in the order of their names. */
    public static List<RemoteHost> fromConfiguration(Map<String, ?> properties) {
        Set<String> names = new TreeSet<>();
        for (String key : properties.keySet()) {
            if (key.equals(HostPlacement.KEY)) {
                continue; // not a host's
            }
            int dot = key.indexOf('.');
            if (RESERVED.contains(dot < 0 ? key : key.substring(0, dot))) {
                continue;
            }
            if (dot <= 0 || !FIELDS.contains(key.substring(dot + 1))) {
                throw new IllegalArgumentException(PID + ": '" + key + "' is not " + HostPlacement.KEY
                        + " or <host>.<field> with a field of "
                        + new TreeSet<>(FIELDS));
            }
            names.add(key.substring(0, dot));
        }
        return parse(names, key -> {
            Object value = properties.get(key);
            return value == null ? null : value.toString();
        }, "");
    }

    /** Where calls that name no host run, by a {@value #PID} configuration's properties. */
    public static HostPlacement placementOf(Map<String, ?> properties) {
        Object value = properties.get(HostPlacement.KEY);
        return HostPlacement.of(value == null ? null : value.toString(), PID + ": " + HostPlacement.KEY);
    }

    /** Where calls that name no host run, by framework properties ({@code property} looks one up). */
    public static HostPlacement placementFromFramework(UnaryOperator<String> property) {
        String key = PID + "." + HostPlacement.KEY;
        return HostPlacement.of(property.apply(key), key);
    }

    /** The hosts framework properties name ({@code property} looks one up); none if {@value #PID} is not set. */
    public static List<RemoteHost> fromFramework(UnaryOperator<String> property) {
        String names = property.apply(PID);
        if (names == null || names.isBlank()) {
            return List.of();
        }
        Set<String> listed = new LinkedHashSet<>();
        for (String name : names.split(",")) {
            if (!name.isBlank()) {
                listed.add(name.strip());
            }
        }
        return parse(listed, key -> property.apply(PID + "." + key), PID + ".");
    }

    private static List<RemoteHost> parse(Set<String> names, UnaryOperator<String> field, String prefix) {
        List<RemoteHost> hosts = new ArrayList<>();
        for (String name : names) {
            if (!NAME.matcher(name).matches() || RESERVED.contains(name)) {
                throw new IllegalArgumentException(PID + ": the host name '" + name + "' is not letters, digits,"
                        + " '_' and '-', or is one of " + RESERVED);
            }
            Field f = new Field(name, field, prefix);
            SlurmOptions slurm = slurm(f);
            String sshConfig = f.text(SSH_CONFIG, null);
            String labels = f.text(LABELS, "");
            hosts.add(new RemoteHost(name, f.text(ADDRESS, name), f.text(USER, null),
                    f.number(PORT, 0, 1, 65_535), f.number(SLOTS, 1, 1, 10_000), f.text(JAVA, "java"),
                    f.text(WORK, RemoteHost.DEFAULT_WORK), sshConfig == null ? null : Path.of(sshConfig),
                    labels.isBlank() ? Set.of() : Set.copyOf(Arrays.stream(labels.split(",")).map(String::strip)
                            .filter(l -> !l.isEmpty()).toList()), slurm));
        }
        return hosts;
    }

    /** The host's Slurm options, or null if it is reached through ssh; either kind refuses the other's fields. */
    private static SlurmOptions slurm(Field f) {
        String via = f.text(VIA, VIA_SSH);
        if (!via.equals(VIA_SSH) && !via.equals(VIA_SLURM)) {
            throw new IllegalArgumentException(f.key(VIA) + " is '" + via + "': expected " + VIA_SSH + " or "
                    + VIA_SLURM);
        }
        boolean slurm = via.equals(VIA_SLURM);
        for (String other : slurm ? SSH_FIELDS : SLURM_FIELDS) {
            if (f.text(other, null) != null) {
                throw new IllegalArgumentException(f.key(other) + " is for hosts via " + (slurm ? VIA_SSH
                        : VIA_SLURM) + ", and " + f.host() + " is via " + via + (slurm ? "" : " (set " + f.key(VIA)
                        + "=" + VIA_SLURM + ")"));
            }
        }
        if (!slurm) {
            return null;
        }
        String time = f.text(TIME_LIMIT, null);
        if (time != null && !TIME.matcher(time).matches()) {
            throw new IllegalArgumentException(f.key(TIME_LIMIT) + " is '" + time + "': expected srun's --time, as"
                    + " minutes, h:m:s or d-h:m:s");
        }
        String options = f.text(SRUN_OPTIONS, "");
        try {
            return new SlurmOptions(f.text(SRUN, "srun"), f.text(PARTITION, null), f.text(ACCOUNT, null), time,
                    options.isEmpty() ? List.of() : List.of(options.split("\\s+")));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(f.key(SRUN_OPTIONS) + ": " + e.getMessage(), e);
        }
    }

    /** One host's fields, with what names them in messages. */
    private record Field(String host, UnaryOperator<String> lookup, String prefix) {

        String text(String field, String absent) {
            String value = lookup.apply(host + "." + field);
            return value == null || value.isBlank() ? absent : value.strip();
        }

        int number(String field, int absent, int min, int max) {
            String value = text(field, null);
            if (value == null) {
                return absent;
            }
            try {
                int n = Integer.parseInt(value);
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // said below
            }
            throw new IllegalArgumentException(key(field) + " is '" + value + "': expected a whole number from "
                    + min + " to " + max);
        }

        /** The field's key as the user wrote it. */
        String key(String field) {
            return prefix + host + "." + field;
        }
    }
}
