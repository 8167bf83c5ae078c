package dev.trampoline.launcher.internal;

import org.apache.felix.framework.Logger;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/**
 * Felix's internal diagnostics, which it would otherwise print to standard output (and so into the
 * output of shell commands). They go to the log file; errors also reach the console through the Log
 * Service, which records framework events.
 */
public final class FrameworkLogger extends Logger {

    private final LauncherLog log;

    public FrameworkLogger(LauncherLog log) {
        this.log = log;
    }

    /** Felix's numeric level for a level name, for the {@code felix.log.level} property. */
    public static String felixLevel(String level) {
        return switch (level) {
            case "ERROR" -> "1";
            case "WARN" -> "2";
            case "INFO" -> "3";
            default -> "4";
        };
    }

    @Override
    protected void doLog(int level, String msg, Throwable throwable) {
        doLog(null, null, level, msg, throwable); // the resolver's messages
    }

    @Override
    protected void doLog(Bundle bundle, ServiceReference sr, int level, String msg, Throwable throwable) {
        String name = switch (level) {
            case LOG_ERROR -> "ERROR";
            case LOG_WARNING -> "WARN";
            case LOG_INFO -> "INFO";
            default -> "DEBUG";
        };
        StringBuilder line = new StringBuilder("[framework] ");
        if (bundle != null) {
            line.append(bundle.getSymbolicName()).append(" [").append(bundle.getBundleId()).append("] ");
        }
        line.append(msg);
        if (throwable != null) {
            line.append(": ").append(throwable);
        }
        log.fileOnly(name, line.toString());
    }
}
