package dev.trampoline.examples.jsonrender.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

class JsonRendererComponentTest {

    @Test
    void rendersTheConfiguredTitleAndTagsWithTheSubject() {
        JsonRendererComponent renderer = new JsonRendererComponent();
        renderer.configure(Map.of("title", "Release notes", "tags", "json, osgi"));

        assertEquals("{\"title\":\"Release notes\",\"subject\":\"bench\",\"tags\":[\"json\",\"osgi\"]}",
                renderer.render("bench"));
    }

    @Test
    void withoutAConfigurationItIsUntitledAndUntagged() {
        JsonRendererComponent renderer = new JsonRendererComponent();
        renderer.configure(Map.of());

        assertEquals("{\"title\":\"Untitled\",\"subject\":\"x\",\"tags\":[]}", renderer.render("x"));
    }
}
