/** Internal: the greeter component. Not exported. */
package dev.trampoline.examples.greeter.internal;
