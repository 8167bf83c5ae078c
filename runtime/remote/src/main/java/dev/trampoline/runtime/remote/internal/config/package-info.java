/** Internal: the parent's Configuration Admin configurations, copied into children and kept in step. Not exported. */
package dev.trampoline.runtime.remote.internal.config;
