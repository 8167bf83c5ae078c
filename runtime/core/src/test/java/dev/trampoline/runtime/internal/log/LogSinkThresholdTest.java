package dev.trampoline.runtime.internal.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;

/** The thresholds {@code log:set} gives: global, per logger (and those below it), per bundle. */
class LogSinkThresholdTest {

    /** An entry of the logger {@code name} without a bundle (the bundle override is covered in the itest). */
    private static LogEntry entry(String name) {
        return new LogEntry() {
            public Bundle getBundle() {
                return null;
            }

            public ServiceReference<?> getServiceReference() {
                return null;
            }

            @SuppressWarnings("deprecation")
            public int getLevel() {
                return 4;
            }

            public String getMessage() {
                return "m";
            }

            public Throwable getException() {
                return null;
            }

            public long getTime() {
                return 0;
            }

            public LogLevel getLogLevel() {
                return LogLevel.DEBUG;
            }

            public String getLoggerName() {
                return name;
            }

            public long getSequence() {
                return 0;
            }

            public String getThreadInfo() {
                return "t";
            }

            public StackTraceElement getLocation() {
                return null;
            }
        };
    }

    @Test
    void aLoggersThresholdCoversTheLoggersBelowItOnly() {
        LogSink sink = new LogSink();
        sink.setThreshold(LogLevel.INFO);
        sink.setThreshold("com.acme", LogLevel.DEBUG);
        assertEquals(LogLevel.DEBUG, sink.thresholdFor(entry("com.acme")));
        assertEquals(LogLevel.DEBUG, sink.thresholdFor(entry("com.acme.db.Pool")));
        assertEquals(LogLevel.INFO, sink.thresholdFor(entry("com.acmex")));
        assertEquals(LogLevel.INFO, sink.thresholdFor(entry("org.other")));
        sink.setThreshold(LogLevel.WARN);
        assertEquals(LogLevel.WARN, sink.thresholdFor(entry("org.other")));
        assertEquals(LogLevel.DEBUG, sink.thresholdFor(entry("com.acme.db")));
    }
}
