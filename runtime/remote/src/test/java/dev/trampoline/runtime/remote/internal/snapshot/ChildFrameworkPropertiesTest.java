package dev.trampoline.runtime.remote.internal.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ChildFrameworkPropertiesTest {

    @Test
    void childInheritsTheListedPropertiesLessTheParentsOwnWithItsOverrides() {
        Map<String, String> parent = new HashMap<>();
        parent.put("org.osgi.service.http.port", "8080");
        parent.put("trampoline.child.property.org.osgi.service.http.port", "0");
        parent.put("my.setting", "on");
        parent.put("org.osgi.framework.storage", "/home/me/.trampoline/cache");
        parent.put("trampoline.deploy.dirs", "/home/me/deploy");
        parent.put("trampoline.role", "parent");
        parent.put("not.listed", "x");
        parent.put(ChildFrameworkProperties.INHERITED_KEYS, "org.osgi.service.http.port,"
                + "trampoline.child.property.org.osgi.service.http.port,my.setting,org.osgi.framework.storage,"
                + "trampoline.deploy.dirs,trampoline.role");

        Map<String, String> child = ChildFrameworkProperties.of(parent::get);

        assertEquals(Map.of("org.osgi.service.http.port", "0", "trampoline.child.property.org.osgi.service.http.port",
                "0", "my.setting", "on"), child);
    }

    @Test
    void withoutTheLauncherListTheResolvingPropertiesStillPass() {
        Map<String, String> child = ChildFrameworkProperties.of(Map.of(
                "org.osgi.framework.bootdelegation", "sun.*", "my.setting", "on")::get);
        assertEquals(Map.of("org.osgi.framework.bootdelegation", "sun.*"), child);
    }

    /** It reaches children as a system property (see ExecutorSettings): a run at another level has the same set. */
    @Test
    void theRuntimesLogLevelIsNoFrameworkPropertyOfAChild() {
        Map<String, String> child = ChildFrameworkProperties.of(Map.of(ChildFrameworkProperties.INHERITED_KEYS,
                "trampoline.log.level,my.setting", "trampoline.log.level", "DEBUG", "my.setting", "on")::get);
        assertEquals(Map.of("my.setting", "on"), child);
    }

    @Test
    void anOverrideCannotReachAParentOnlyProperty() {
        Map<String, String> child = ChildFrameworkProperties.of(Map.of(
                ChildFrameworkProperties.INHERITED_KEYS, "trampoline.child.property.trampoline.deploy.dirs",
                "trampoline.child.property.trampoline.deploy.dirs", "/tmp/x")::get);
        assertFalse(child.containsKey("trampoline.deploy.dirs"), child.toString());
    }
}
