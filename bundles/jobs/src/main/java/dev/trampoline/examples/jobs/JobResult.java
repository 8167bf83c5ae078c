package dev.trampoline.examples.jobs;

import java.io.Serializable;

/**
 * What a background job did, and where.
 *
 * @param name the job's label
 * @param pid the process that ran it
 * @param iterations how much work it got through
 * @param bundle the symbolic name, version and location of the bundle that ran it, as that process saw it
 */
public record JobResult(String name, long pid, long iterations, String bundle) implements Serializable {

    private static final long serialVersionUID = 1L;
}
