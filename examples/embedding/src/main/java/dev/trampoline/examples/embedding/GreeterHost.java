package dev.trampoline.examples.embedding;

import java.nio.file.Path;
import java.time.Duration;

import org.osgi.framework.ServiceReference;
import org.osgi.util.promise.Promise;

import dev.trampoline.examples.greeter.Greeter;
import dev.trampoline.launcher.Trampoline;
import dev.trampoline.launcher.TrampolineRuntime;
import dev.trampoline.runtime.remote.RemoteExecutor;

/** Embeds Trampoline, installs the greeter bundle, and greets in this JVM and in a child JVM. */
public final class GreeterHost {

    public static void main(String[] args) throws Exception {
        Path greeterJar = Path.of(args[0]); // e.g. bundles/greeter/target/greeter-0.1.0-SNAPSHOT.jar
        try (TrampolineRuntime runtime = Trampoline.builder()
                // Greeter is a class of this program too: the bundle must use this copy, not its own.
                .systemPackagesExtra("dev.trampoline.examples.greeter;version=1.0.0")
                // The lambdas of this program may be sent to children.
                .frameworkProperty("trampoline.remote.allow", "dev.trampoline.examples.embedding.*")
                .start()) {                                     // returns once the runtime's bundles run
            runtime.install(greeterJar);                         // installed and started

            Greeter greeter = runtime.service(Greeter.class, Duration.ofSeconds(10));
            System.out.println("parent pid " + ProcessHandle.current().pid() + ": " + greeter.greet("host"));

            RemoteExecutor executor = runtime.service(RemoteExecutor.class, Duration.ofSeconds(10));
            ServiceReference<Greeter> ref = runtime.bundleContext().getServiceReference(Greeter.class);
            Promise<String> answer = executor.submit(ref,       // runs in a child JVM, on the child's Greeter
                    g -> "child pid " + ProcessHandle.current().pid() + ": " + g.greet("host"));
            System.out.println(answer.getValue());              // waits for the child's answer
        }                                                       // stops the children and the framework
    }
}
