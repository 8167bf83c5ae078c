package dev.trampoline.examples.jsonrender.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.trampoline.examples.jsonrender.JsonRenderer;

/**
 * The renderer, as a Declarative Services component configured by a file
 * {@code dev.trampoline.examples.jsonrender.cfg} in the deploy folder ({@code title = Release notes},
 * {@code tags = json,osgi}). It writes with Jackson's {@link ObjectMapper}, from the jackson-databind bundle
 * deployed beside it, so a child that calls it loads Jackson as the plugin's users would.
 */
@Component(configurationPid = "dev.trampoline.examples.jsonrender", service = JsonRenderer.class)
public final class JsonRendererComponent implements JsonRenderer {

    /** What one rendering says; Jackson finds the record's components as properties. */
    public record Card(String title, String subject, List<String> tags) {
    }

    private final ObjectMapper mapper = new ObjectMapper();
    private volatile String title = "Untitled";
    private volatile List<String> tags = List.of();

    @Activate
    @Modified
    void configure(Map<String, Object> properties) {
        Object t = properties.get("title");
        title = t == null ? "Untitled" : t.toString();
        tags = tags(properties.get("tags"));
    }

    /** A configuration file gives a comma-separated text; Config Admin set in code may give an array. */
    private static List<String> tags(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof String[] array) {
            return List.of(array);
        }
        return Arrays.stream(value.toString().split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    @Override
    public String render(String subject) {
        try {
            return mapper.writeValueAsString(new Card(title, subject, tags));
        } catch (JsonProcessingException e) {
            // a record of strings always serializes; say what failed if it ever does not
            throw new IllegalStateException("Cannot render " + subject + " as JSON: " + e.getMessage(), e);
        }
    }
}
