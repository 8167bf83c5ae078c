package dev.trampoline.examples.greeter;

import org.osgi.annotation.versioning.ConsumerType;

/** Greets someone by name. */
@ConsumerType
public interface Greeter {

    /** Returns a greeting for {@code name}. */
    String greet(String name);
}
