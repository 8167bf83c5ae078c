/**
 * Start Trampoline from the command line ({@link dev.trampoline.launcher.Main}) or inside an application
 * ({@link dev.trampoline.launcher.Trampoline#builder()}).
 */
package dev.trampoline.launcher;
