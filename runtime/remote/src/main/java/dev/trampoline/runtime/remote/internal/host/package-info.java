/**
 * Internal: children on other hosts; the hosts' configuration ({@code dev.trampoline.remote.hosts}), the first
 * contact with a host (its JDK, the launcher jar copied when its hash differs) and the starters that run a child
 * there: over the system's OpenSSH client, its channel the ssh session's stdin and stdout, or as a job step of
 * Slurm's srun, its channel srun's stdin and stdout. Depends on the process package only.
 */
package dev.trampoline.runtime.remote.internal.host;
