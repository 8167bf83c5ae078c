package dev.trampoline.launcher.internal;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A deploy folder and the start level of the bundles installed from it ({@link #DEFAULT}: the level of the
 * framework property {@value #DEFAULT_LEVEL_PROPERTY}, 1 unless set), as {@code --deploy DIR@LEVEL} gives it
 * and as the runtime's core bundle reads it from {@code trampoline.deploy.dirs}: a trailing {@code @} and digits
 * is always a level, so a folder whose name ends so is given with a trailing separator ({@code releases@2/}).
 */
public record DeployFolder(Path folder, int startLevel) {

    /** The start level of a folder named without one. */
    public static final int DEFAULT = 0;
    /** Framework property: the level of folders named without one (the core bundle's reading of it). */
    public static final String DEFAULT_LEVEL_PROPERTY = "trampoline.deploy.startLevel";
    private static final Pattern LEVEL_SUFFIX = Pattern.compile("(.+)@([0-9]+)");

    public DeployFolder {
        if (startLevel < DEFAULT) {
            throw new IllegalArgumentException("a start level is 1 or more: " + startLevel);
        }
    }

    /**
     * {@code DIR} or {@code DIR@LEVEL}, as given to {@code option}.
     *
     * @throws IllegalArgumentException saying in one line what is wrong and what to do
     */
    public static DeployFolder parse(String value, String option) {
        Matcher m = LEVEL_SUFFIX.matcher(value);
        if (!m.matches()) {
            return new DeployFolder(Path.of(value), DEFAULT);
        }
        int level;
        try {
            level = Integer.parseInt(m.group(2));
        } catch (NumberFormatException e) {
            level = 0;
        }
        if (level < 1) {
            throw new IllegalArgumentException(option + " " + value + ": the start level after @ must be a whole number"
                    + " from 1 to " + Integer.MAX_VALUE + " (a folder whose name ends in @" + m.group(2)
                    + " is given with a trailing " + File.separator + ")");
        }
        return new DeployFolder(Path.of(m.group(1)), level);
    }

    /** The same folder, absolute and normalized. */
    public DeployFolder absolute() {
        return new DeployFolder(folder.toAbsolutePath().normalize(), startLevel);
    }

    /** The value of {@code trampoline.deploy.dirs} for {@code folders}. */
    public static String propertyValue(List<DeployFolder> folders) {
        return folders.stream().map(DeployFolder::propertyEntry).collect(Collectors.joining(File.pathSeparator));
    }

    /** The folder as one entry of {@code trampoline.deploy.dirs}, read back as the same folder and level. */
    String propertyEntry() {
        String path = folder.toString();
        if (startLevel != DEFAULT) {
            return path + "@" + startLevel;
        }
        return LEVEL_SUFFIX.matcher(path).matches() ? path + File.separator : path;
    }

    /**
     * The start level the framework must reach for every bundle of {@code folders} to start: the highest of their
     * levels, {@code defaultLevel} standing for those named without one.
     */
    public static int highestLevel(List<DeployFolder> folders, int defaultLevel) {
        int highest = 1;
        for (DeployFolder f : folders) {
            highest = Math.max(highest, f.startLevel == DEFAULT ? defaultLevel : f.startLevel);
        }
        return highest;
    }

    /**
     * The level {@value #DEFAULT_LEVEL_PROPERTY} gives folders named without one: its value when it is a start
     * level, else 1 (the core bundle says so in the log).
     */
    public static int defaultLevel(Object propertyValue) {
        if (propertyValue == null) {
            return 1;
        }
        try {
            int level = Integer.parseInt(propertyValue.toString().trim());
            return level >= 1 ? level : 1;
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
