/** Internal: writes OSGi Log Service entries to the console and the runtime's log file. Not exported. */
package dev.trampoline.runtime.internal.log;
