package dev.trampoline.examples.jsonrender;

import org.osgi.annotation.versioning.ConsumerType;

/** Renders a configured card about a subject as JSON. */
@ConsumerType
public interface JsonRenderer {

    /** The configured title and tags with {@code subject}, as one line of JSON. */
    String render(String subject);
}
