package dev.trampoline.examples.jobs;

import java.io.Serializable;

/**
 * What to run in the background.
 *
 * @param name a label for the job
 * @param workMillis how long the job computes, in milliseconds of CPU time
 */
public record JobRequest(String name, long workMillis) implements Serializable {

    private static final long serialVersionUID = 1L;
}
