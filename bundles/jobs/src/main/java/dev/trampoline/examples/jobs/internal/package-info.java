/** Internal: the jobs components. Not exported. */
package dev.trampoline.examples.jobs.internal;
