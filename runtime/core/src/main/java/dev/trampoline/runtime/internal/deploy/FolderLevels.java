package dev.trampoline.runtime.internal.deploy;

import java.io.File;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.trampoline.runtime.deploy.DeployService;

/**
 * The deploy folders named by the {@value DeployService#DEPLOY_DIRS} framework property, each with the start
 * level its bundles get: {@code FOLDER@LEVEL}, or the default level {@value DeployService#DEFAULT_START_LEVEL}
 * (1, the level the runtime's own bundles run at, when unset). A trailing {@code @} and digits is always a level;
 * a folder whose name really ends so is written with a trailing separator ({@code releases@2/}).
 */
final class FolderLevels {

    /** {@code @} and digits at the very end of an entry. */
    private static final Pattern LEVEL_SUFFIX = Pattern.compile("(.+)@([0-9]+)");

    private final Map<Path, Integer> levels;
    private final int defaultLevel;
    private final List<String> problems;

    private FolderLevels(Map<Path, Integer> levels, int defaultLevel, List<String> problems) {
        this.levels = levels;
        this.defaultLevel = defaultLevel;
        this.problems = problems;
    }

    /**
     * Parses the two framework properties; a malformed level is not fatal (the folder gets the default level)
     * but is one of {@link #problems()}, for the log.
     */
    static FolderLevels parse(String dirs, String defaultLevelValue) {
        List<String> problems = new ArrayList<>();
        int defaultLevel = 1;
        if (defaultLevelValue != null && !defaultLevelValue.isBlank()) {
            Integer level = level(defaultLevelValue.trim());
            if (level == null) {
                problems.add(DeployService.DEFAULT_START_LEVEL + "=" + defaultLevelValue
                        + " is not a start level (a whole number from 1); using 1");
            } else {
                defaultLevel = level;
            }
        }
        Map<Path, Integer> levels = new LinkedHashMap<>();
        if (dirs != null) {
            for (String part : dirs.split(File.pathSeparator)) {
                String entry = part.trim();
                if (entry.isEmpty()) {
                    continue;
                }
                int level = defaultLevel;
                Matcher m = LEVEL_SUFFIX.matcher(entry);
                if (m.matches()) {
                    entry = m.group(1);
                    Integer given = level(m.group(2));
                    if (given == null) {
                        problems.add(DeployService.DEPLOY_DIRS + ": " + part.trim() + ": the start level after @ must"
                                + " be a whole number from 1; its bundles get the default level " + defaultLevel);
                    } else {
                        level = given;
                    }
                }
                levels.putIfAbsent(Paths.get(entry).toAbsolutePath().normalize(), level);
            }
        }
        return new FolderLevels(levels, defaultLevel, List.copyOf(problems));
    }

    /** A start level (1 or more, fitting an int), or null. */
    private static Integer level(String digits) {
        try {
            int level = Integer.parseInt(digits);
            return level >= 1 ? level : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The folders, absolute and normalized, each once, in the order they were named. */
    List<Path> folders() {
        return List.copyOf(levels.keySet());
    }

    /** The start level of the bundles from {@code folder}, the default level for a folder not watched. */
    int levelOf(Path folder) {
        return levels.getOrDefault(folder, defaultLevel);
    }

    /** The level of the folders named without one. */
    int defaultLevel() {
        return defaultLevel;
    }

    /** What could not be taken as given, one line each, for the log. */
    List<String> problems() {
        return problems;
    }
}
