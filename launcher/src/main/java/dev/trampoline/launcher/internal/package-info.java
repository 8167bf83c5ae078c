/** Internal: the launcher's parts (bundle set, shell bridge, options, logging). Not API; may change without notice. */
package dev.trampoline.launcher.internal;
