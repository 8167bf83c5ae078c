package dev.trampoline.runtime.remote.internal.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class HostsConfigurationTest {

    @Test
    void aConfigurationNamesEachHostByItsKeysAndFillsTheDefaults() {
        Map<String, Object> cfg = new HashMap<>(Map.of("service.pid", HostsConfiguration.PID,
                "felix.fileinstall.filename", "file:/deploy/dev.trampoline.remote.hosts.cfg",
                "osgi.ds.satisfying.condition.target", "(osgi.condition.id=true)",
                "b2.java", "/opt/jdk-21/bin/java", "b2.work", "/scratch/tramp"));
        cfg.putAll(Map.of("build1.address", "10.0.0.5", "build1.user", "ci", "build1.port", "2222",
                "build1.slots", "4", "build1.labels", "big, gpu", "build1.sshConfig", "/etc/trampoline/ssh_config"));
        List<RemoteHost> hosts = HostsConfiguration.fromConfiguration(cfg);
        assertEquals(List.of(
                new RemoteHost("b2", "b2", null, 0, 1, "/opt/jdk-21/bin/java", "/scratch/tramp", null, Set.of()),
                new RemoteHost("build1", "10.0.0.5", "ci", 2222, 4, "java", RemoteHost.DEFAULT_WORK,
                        Path.of("/etc/trampoline/ssh_config"), Set.of("big", "gpu"))), hosts);
    }

    @Test
    void frameworkPropertiesListTheHostsAndPrefixTheirFields() {
        Map<String, String> props = Map.of(HostsConfiguration.PID, "a, b",
                HostsConfiguration.PID + ".a.slots", "2", HostsConfiguration.PID + ".b.address", "b.example.org");
        List<RemoteHost> hosts = HostsConfiguration.fromFramework(props::get);
        assertEquals(2, hosts.size());
        assertEquals(2, hosts.get(0).slots());
        assertEquals("b.example.org", hosts.get(1).address());
        assertTrue(HostsConfiguration.fromFramework(k -> null).isEmpty());
    }

    @Test
    void aMistypedFieldIsNamedRatherThanIgnored() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HostsConfiguration.fromConfiguration(Map.of("build1.adress", "x")));
        assertTrue(e.getMessage().contains("'build1.adress'") && e.getMessage().contains("address"),
                e.getMessage());
    }

    @Test
    void aBadNumberNamesItsKeyAndTheRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HostsConfiguration.fromFramework(Map.of(HostsConfiguration.PID, "a",
                        HostsConfiguration.PID + ".a.slots", "0")::get));
        assertEquals(HostsConfiguration.PID + ".a.slots is '0': expected a whole number from 1 to 10000",
                e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> HostsConfiguration.fromConfiguration(Map.of("a.port", "70000")));
    }

    @Test
    void aHostNameThatCouldBeAnOptionOrAPathIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HostsConfiguration.fromFramework(Map.of(HostsConfiguration.PID, "-oProxyCommand=x")::get));
        assertTrue(e.getMessage().contains("'-oProxyCommand=x'"), e.getMessage());
    }

    @Test
    void anAddressSshWouldTakeForAnOptionIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HostsConfiguration.fromConfiguration(Map.of("b.address", "-oProxyCommand=touch /tmp/x")));
        assertTrue(e.getMessage().contains("would be an option to ssh"), e.getMessage());
    }

    @Test
    void theSshCommandIsAnArgumentArrayWithBatchModeAndTheRemoteCommandAfterTheDoubleDash() {
        RemoteHost h = new RemoteHost("b", "b.example.org", "ci", 2222, 1, "java", "w", Path.of("/cfg"), Set.of());
        List<String> ssh = h.ssh("true");
        assertEquals("ssh", ssh.get(0));
        assertTrue(ssh.containsAll(List.of("BatchMode=yes", "-F", "/cfg", "-p", "2222", "-l", "ci")));
        int dash = ssh.indexOf("--");
        assertEquals(List.of("b.example.org", "--", "true"), ssh.subList(dash - 1, ssh.size()));
        assertNull(new RemoteHost("b", "b", null, 0, 1, "java", "w", null, Set.of()).user());
    }

    @Test
    void aHostViaSlurmTakesItsPartitionAccountTimeLimitAndSrunOptions() {
        List<RemoteHost> hosts = HostsConfiguration.fromConfiguration(Map.of("c.via", "slurm", "c.partition", "debug",
                "c.account", "proj1", "c.timeLimit", "1-02:00:00", "c.srunOptions", " --qos=short  --constraint=x ",
                "c.slots", "8", "s.via", "ssh"));
        assertEquals(new SlurmOptions("srun", "debug", "proj1", "1-02:00:00",
                List.of("--qos=short", "--constraint=x")), hosts.get(0).slurm());
        assertEquals(8, hosts.get(0).slots());
        assertNull(hosts.get(1).slurm(), "ssh is the default and may be said");
        assertEquals("c (slurm partition debug, 8 slots)", hosts.get(0).toString());
        SlurmOptions bare = HostsConfiguration.fromFramework(Map.of(HostsConfiguration.PID, "c",
                HostsConfiguration.PID + ".c.via", "slurm", HostsConfiguration.PID + ".c.srun", "/opt/slurm/bin/srun")
                ::get).get(0).slurm();
        assertEquals(new SlurmOptions("/opt/slurm/bin/srun", null, null, null, List.of()), bare);
    }

    @Test
    void theSrunCommandIsAnArgumentArrayWithOneTaskItsStdinAndTheCommandAfterTheDoubleDash() {
        SlurmOptions slurm = new SlurmOptions("srun", "debug", "proj1", "30", List.of("--qos=short"));
        assertEquals(List.of("srun", "--ntasks=1", "--nodes=1", "--kill-on-bad-exit=1", "--quiet", "--input=0",
                "--unbuffered", "--job-name=trampoline-child", "--chdir=/home/me", "--partition=debug",
                "--account=proj1", "--time=30", "--qos=short", "--", "java", "-version"),
                slurm.srun(SlurmOptions.CHILD_JOB, "/home/me", List.of("java", "-version")));
        assertEquals(List.of("srun", "--ntasks=1", "--nodes=1", "--kill-on-bad-exit=1", "--quiet", "--input=0",
                "--unbuffered", "--job-name=trampoline-contact", "--chdir=/h", "--", "true"),
                new SlurmOptions("srun", null, null, null, List.of()).srun(SlurmOptions.CONTACT_JOB, "/h",
                        List.of("true")));
    }

    @Test
    void aFieldOfTheOtherKindOfHostIsNamedWithItsKind() {
        IllegalArgumentException slurmOnSsh = assertThrows(IllegalArgumentException.class,
                () -> HostsConfiguration.fromConfiguration(Map.of("b.partition", "debug")));
        assertEquals("b.partition is for hosts via slurm, and b is via ssh (set b.via=slurm)",
                slurmOnSsh.getMessage());
        IllegalArgumentException sshOnSlurm = assertThrows(IllegalArgumentException.class,
                () -> HostsConfiguration.fromFramework(Map.of(HostsConfiguration.PID, "c",
                        HostsConfiguration.PID + ".c.via", "slurm", HostsConfiguration.PID + ".c.address", "x")::get));
        assertEquals(HostsConfiguration.PID + ".c.address is for hosts via ssh, and c is via slurm",
                sshOnSlurm.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> HostsConfiguration.fromConfiguration(Map.of("c.via", "slurm", "c.partion", "debug")));
        assertTrue(unknown.getMessage().contains("'c.partion'") && unknown.getMessage().contains("partition"),
                unknown.getMessage());
    }

    @Test
    void aBadKindTimeLimitOrSrunOptionIsNamed() {
        assertEquals("c.via is 'pbs': expected ssh or slurm", assertThrows(IllegalArgumentException.class,
                () -> HostsConfiguration.fromConfiguration(Map.of("c.via", "pbs"))).getMessage());
        assertEquals("c.timeLimit is '1 hour': expected srun's --time, as minutes, h:m:s or d-h:m:s",
                assertThrows(IllegalArgumentException.class, () -> HostsConfiguration.fromConfiguration(
                        Map.of("c.via", "slurm", "c.timeLimit", "1 hour"))).getMessage());
        assertEquals("c.srunOptions: the srun option 'short' does not start with '-'",
                assertThrows(IllegalArgumentException.class, () -> HostsConfiguration.fromConfiguration(
                        Map.of("c.via", "slurm", "c.srunOptions", "--qos short"))).getMessage());
    }
}
