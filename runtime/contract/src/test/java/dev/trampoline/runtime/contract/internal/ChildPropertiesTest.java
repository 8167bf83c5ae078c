package dev.trampoline.runtime.contract.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ChildPropertiesTest {

    @Test
    void theChildConditionIsTheOnePluginsAreToldToName() {
        // Documented for plugin authors (a component that runs in children only), as trampoline.parent is.
        assertEquals("(osgi.condition.id=trampoline.child)", ChildProperties.CHILD_CONDITION_TARGET);
        assertEquals("trampoline.parent", ChildProperties.CONDITION_PREFIX + ChildProperties.ROLE_PARENT);
    }

    @Test
    void everyPropertyKeyIsItsOwn() throws IllegalAccessException {
        Map<String, String> byValue = new HashMap<>();
        for (Field f : ChildProperties.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class
                    && ((String) f.get(null)).startsWith("trampoline.") && !f.getName().equals("CONDITION_PREFIX")) {
                String other = byValue.put((String) f.get(null), f.getName());
                assertTrue(other == null, f.getName() + " and " + other + " are the same key");
            }
        }
        assertTrue(byValue.size() >= 10, "the keys were found: " + byValue);
    }
}
