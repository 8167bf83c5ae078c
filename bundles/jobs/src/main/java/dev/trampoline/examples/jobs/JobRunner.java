package dev.trampoline.examples.jobs;

import org.osgi.annotation.versioning.ConsumerType;

/** Runs a background job in the calling process. Use it through a remote executor to run it elsewhere. */
@ConsumerType
public interface JobRunner {

    /** The seed's {@code exec_bg}: does the work of {@code request} and says where it ran. */
    JobResult execBg(JobRequest request);
}
