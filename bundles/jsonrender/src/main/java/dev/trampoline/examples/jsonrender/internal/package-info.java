/** Internal: the renderer component. Not exported. */
package dev.trampoline.examples.jsonrender.internal;
