/** Internal: the agent that serves calls inside a child framework. Not exported. */
package dev.trampoline.runtime.remote.internal.agent;
