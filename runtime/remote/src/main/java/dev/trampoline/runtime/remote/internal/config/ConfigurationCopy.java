package dev.trampoline.runtime.remote.internal.config;

import java.util.Map;

/**
 * One configuration of the parent's Configuration Admin as a child receives it: its pid, its factory pid (null
 * for a singleton), the bundle location it is bound to (null: bound dynamically) and its properties, less the
 * three Configuration Admin sets itself ({@code service.pid}, {@code service.factoryPid},
 * {@code service.bundleLocation}).
 */
public record ConfigurationCopy(String pid, String factoryPid, String location, Map<String, Object> properties) {

    /** The name of a named factory configuration ({@code factoryPid~name}), or null if its pid was generated. */
    public String factoryName() {
        if (factoryPid == null || !pid.startsWith(factoryPid + "~")) {
            return null;
        }
        return pid.substring(factoryPid.length() + 1);
    }
}
