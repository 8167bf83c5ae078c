package dev.trampoline.examples.jobs.internal;

import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.component.annotations.Component;

import dev.trampoline.examples.jobs.JobRequest;
import dev.trampoline.examples.jobs.JobResult;
import dev.trampoline.examples.jobs.JobRunner;

/** Keeps a CPU busy for the requested time, counting iterations. */
@Component
public final class BusyJobRunner implements JobRunner {

    @Override
    public JobResult execBg(JobRequest request) {
        long end = System.nanoTime() + request.workMillis() * 1_000_000L;
        long iterations = 0;
        double x = 1;
        do {
            for (int i = 0; i < 10_000; i++) {
                x = Math.sqrt(x + i);
            }
            iterations++;
        } while (System.nanoTime() < end);
        Bundle b = FrameworkUtil.getBundle(getClass());
        return new JobResult(request.name(), ProcessHandle.current().pid(), iterations + (x < 0 ? 1 : 0),
                b.getSymbolicName() + " " + b.getVersion() + " " + b.getLocation());
    }
}
