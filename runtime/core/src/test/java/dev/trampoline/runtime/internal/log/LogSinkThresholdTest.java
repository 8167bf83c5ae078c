package dev.trampoline.runtime.internal.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;

/** The thresholds the log level configurations give: global, per logger (and those below it), per bundle. */
class LogSinkThresholdTest {

    private static LogEntry entry(String name) {
        return new TestEntry(name);
    }

    @Test
    void aLoggersThresholdCoversTheLoggersBelowItOnly() {
        LogThresholds t = new LogThresholds(LogLevel.INFO, Map.of("com.acme", LogLevel.DEBUG));
        assertEquals(LogLevel.DEBUG, t.thresholdFor(entry("com.acme")));
        assertEquals(LogLevel.DEBUG, t.thresholdFor(entry("com.acme.db.Pool")));
        assertEquals(LogLevel.INFO, t.thresholdFor(entry("com.acmex")));
        assertEquals(LogLevel.INFO, t.thresholdFor(entry("org.other")));
        t = new LogThresholds(LogLevel.WARN, t.overrides());
        assertEquals(LogLevel.WARN, t.thresholdFor(entry("org.other")));
        assertEquals(LogLevel.DEBUG, t.thresholdFor(entry("com.acme.db")));
    }

    @Test
    void aBundlesLoggersThenTheBundleThenAnyBundlesLoggers() {
        LogThresholds t = new LogThresholds(LogLevel.INFO, Map.of("com.acme", LogLevel.WARN, "b.one", LogLevel.DEBUG,
                "b.one|com.acme.db", LogLevel.TRACE));
        assertEquals(LogLevel.TRACE, t.thresholdFor("b.one", "com.acme.db.Pool"));
        assertEquals(LogLevel.DEBUG, t.thresholdFor("b.one", "com.acme.web"));
        assertEquals(LogLevel.WARN, t.thresholdFor("b.two", "com.acme.db.Pool"));
        assertEquals(LogLevel.INFO, t.thresholdFor("b.two", "org.other"));
    }
}
