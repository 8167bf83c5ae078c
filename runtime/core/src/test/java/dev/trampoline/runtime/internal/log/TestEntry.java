package dev.trampoline.runtime.internal.log;

import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;

/** A DEBUG entry of the logger {@code name} without a bundle, numbered {@code sequence} by the Log Service. */
record TestEntry(String name, long sequence) implements LogEntry {

    TestEntry(String name) {
        this(name, 0);
    }

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
        return name + " " + sequence;
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
        return sequence;
    }

    public String getThreadInfo() {
        return "t";
    }

    public StackTraceElement getLocation() {
        return null;
    }
}
