package dev.trampoline.examples.greeter.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;

import dev.trampoline.examples.greeter.Greeter;

/**
 * The greeter, as a Declarative Services component. Its greeting can be set with a configuration file
 * {@code dev.trampoline.examples.greeter.cfg} in the deploy folder ({@code greeting = Bonjour}). It is also
 * the shell command {@code greeter:greet NAME}: a Gogo command is just a service with two properties.
 */
@Component(configurationPid = "dev.trampoline.examples.greeter", service = Greeter.class, property = {
    "greeting=Hello",
    "osgi.command.scope=greeter",
    "osgi.command.function=greet"
})
public final class GreeterComponent implements Greeter {

    private volatile String greeting = "Hello";

    @Activate
    @Modified
    void configure(java.util.Map<String, Object> properties) {
        Object g = properties.get("greeting");
        greeting = g == null ? "Hello" : g.toString();
    }

    @Override
    public String greet(String name) {
        return greeting + ", " + name + "!";
    }
}
