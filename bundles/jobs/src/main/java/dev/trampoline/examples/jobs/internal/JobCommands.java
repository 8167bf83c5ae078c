package dev.trampoline.examples.jobs.internal;

import java.lang.reflect.InvocationTargetException;

import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.propertytypes.SatisfyingConditionTarget;
import org.osgi.util.promise.Promise;

import dev.trampoline.examples.jobs.JobRequest;
import dev.trampoline.examples.jobs.JobResult;
import dev.trampoline.examples.jobs.JobRunner;
import dev.trampoline.runtime.remote.RemoteExecutor;

/**
 * {@code jobs:bg NAME MILLIS}: the plugin runs its own background job in a child JVM. The lambda below is
 * written in this bundle and captures a {@link JobRequest}, a class of this bundle; the child can deserialize
 * both only because it installed this bundle first. That is the trampoline.
 * <p>
 * The command is for the user's shell, which only the parent has: with the standard Declarative Services 1.5
 * satisfying condition, the component runs where the runtime registers the condition {@code trampoline.parent}
 * and nowhere else, while the {@link JobRunner} it calls runs in every child too. No Trampoline API is involved.
 */
@SatisfyingConditionTarget("(osgi.condition.id=trampoline.parent)")
@Component(service = JobCommands.class, property = {
    "osgi.command.scope=jobs",
    "osgi.command.function=bg"
})
public final class JobCommands {

    @Reference
    private RemoteExecutor executor;

    @Reference(service = JobRunner.class)
    private ServiceReference<JobRunner> runner;

    public String bg(String name, long workMillis) throws Exception {
        JobRequest request = new JobRequest(name, workMillis);
        Promise<JobResult> result = executor.submit(runner, jobs -> jobs.execBg(request));
        try {
            JobResult r = result.getValue();
            return "job " + r.name() + ": " + r.iterations() + " iterations in child pid " + r.pid()
                    + " (this runtime is pid " + ProcessHandle.current().pid() + "), run by " + r.bundle();
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }
}
