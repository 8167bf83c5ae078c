package dev.trampoline.itests;

import java.nio.file.Path;

/**
 * The class-data a runtime trains for its children, as the tests find it: a class-data archive ({@code .jsa}) on
 * JDK 17 to 24, an AOT cache ({@code .aot}) from JDK 25, whichever JDK the tests run on.
 */
final class ChildArchives {

    /** The file name of either, in the runtime's {@code cds} folder. */
    static final String FILE_NAME = "child-\\w+\\.(jsa|aot)";

    private ChildArchives() {
    }

    /** The option a child that uses {@code archive} starts with. */
    static String useOption(Path archive) {
        return (archive.toString().endsWith(".aot") ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=") + archive;
    }

    /** Whether a child's arguments say it trains class data of its own. */
    static boolean trains(String arguments) {
        return arguments.contains("ArchiveClassesAtExit") || arguments.contains("AOTCacheOutput");
    }
}
