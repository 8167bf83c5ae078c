package dev.trampoline.itests;

/**
 * A plugin compiled while the tests run, so its classes exist nowhere but in its bundle: a {@code Jobs}
 * service whose arguments, results and exceptions are the plugin's own classes, and a launcher service that
 * submits a lambda written in the plugin to the remote executor (the seed's {@code exec_bg}).
 */
final class JobsPlugin {

    static final String SYMBOLIC_NAME = "plugin.jobs";

    private JobsPlugin() {
    }

    static TestBundle bundle(String revision) {
        return TestBundle.named(SYMBOLIC_NAME, revision.equals("v1") ? "1.0.0" : "1.1.0")
                .header("Export-Package", "plugin.jobs;version=1.0.0")
                .importing("org.osgi.framework,dev.trampoline.runtime.remote,org.osgi.util.promise")
                .header("Bundle-Activator", "plugin.jobs.impl.Activator")
                .source("plugin.jobs.Spec", """
                        package plugin.jobs;
                        public record Spec(String name, int n) implements java.io.Serializable {}
                        """)
                .source("plugin.jobs.Report", """
                        package plugin.jobs;
                        public record Report(String name, long pid, long result, String bundle)
                                implements java.io.Serializable {}
                        """)
                .source("plugin.jobs.JobFailed", """
                        package plugin.jobs;
                        public class JobFailed extends Exception {
                            private final Spec spec;
                            public JobFailed(String message, Spec spec) { super(message); this.spec = spec; }
                            public Spec spec() { return spec; }
                        }
                        """)
                .source("plugin.jobs.Jobs", """
                        package plugin.jobs;
                        public interface Jobs {
                            Report execBg(Spec spec) throws JobFailed;
                            String revision();
                            String noisy(int lines);
                            String awaitPeers(int peers, long timeoutMillis) throws Exception;
                            void halt(int status);
                            String sleep(long millis) throws InterruptedException;
                            String sleepUntilInterrupted(String markerFile) throws Exception;
                            String spinIgnoringInterrupts(String markerFile) throws Exception;
                            long pid();
                            Object echo(Object value);
                            void failWithUnserializableException();
                            void failWithUndeclaredJobFailed();
                        }
                        """)
                .source("plugin.jobs.impl.JobsImpl", """
                        package plugin.jobs.impl;
                        import plugin.jobs.*;
                        public final class JobsImpl implements Jobs {
                            static final java.util.concurrent.atomic.AtomicInteger inside =
                                    new java.util.concurrent.atomic.AtomicInteger();
                            public Report execBg(Spec spec) throws JobFailed {
                                if (spec.n() < 0) throw new JobFailed("negative work: " + spec.n(), spec);
                                long sum = 0;
                                for (int i = 1; i <= spec.n(); i++) sum += i;
                                org.osgi.framework.Bundle b = org.osgi.framework.FrameworkUtil.getBundle(getClass());
                                return new Report(spec.name(), ProcessHandle.current().pid(), sum,
                                        b.getSymbolicName() + " " + b.getVersion() + " " + b.getLocation());
                            }
                            public String revision() { return "%REVISION%"; }
                            public String noisy(int lines) {
                                for (int i = 0; i < lines; i++) System.out.println("noise from the plugin " + i);
                                System.out.flush();
                                return "quiet";
                            }
                            public String awaitPeers(int peers, long timeoutMillis) throws Exception {
                                inside.incrementAndGet();
                                long deadline = System.currentTimeMillis() + timeoutMillis;
                                while (inside.get() < peers) {
                                    if (System.currentTimeMillis() > deadline) {
                                        throw new IllegalStateException("only " + inside.get() + " calls ran at once");
                                    }
                                    Thread.sleep(5);
                                }
                                return "together in " + ProcessHandle.current().pid();
                            }
                            public void halt(int status) {
                                System.err.println("the plugin halts the child now");
                                System.err.flush();
                                Runtime.getRuntime().halt(status);
                            }
                            public String sleep(long millis) throws InterruptedException {
                                Thread.sleep(millis);
                                return "slept";
                            }
                            public String sleepUntilInterrupted(String markerFile) throws Exception {
                                java.nio.file.Files.writeString(java.nio.file.Path.of(markerFile + ".started"), "started");
                                try {
                                    Thread.sleep(60_000);
                                    return "not interrupted";
                                } catch (InterruptedException e) {
                                    java.nio.file.Files.writeString(java.nio.file.Path.of(markerFile), "interrupted");
                                    throw e;
                                }
                            }
                            /** Runs until MARKER.stop exists, swallowing interrupts, as code unaware of them does. */
                            public String spinIgnoringInterrupts(String markerFile) throws Exception {
                                java.nio.file.Files.writeString(java.nio.file.Path.of(markerFile + ".started"),
                                        Long.toString(ProcessHandle.current().pid()));
                                while (!java.nio.file.Files.exists(java.nio.file.Path.of(markerFile + ".stop"))) {
                                    try {
                                        Thread.sleep(10);
                                    } catch (InterruptedException ignored) {
                                        // on it goes
                                    }
                                }
                                return "stopped";
                            }
                            public long pid() { return ProcessHandle.current().pid(); }
                            public Object echo(Object value) { return value; }
                            public void failWithUnserializableException() {
                                throw new WeirdFailure(new IllegalStateException("the root cause"));
                            }
                            /** A checked exception the method does not declare, as Kotlin or a newer API may throw. */
                            public void failWithUndeclaredJobFailed() {
                                JobsImpl.<RuntimeException>sneakyThrow(new JobFailed("undeclared", new Spec("sneaky", 0)));
                            }
                            @SuppressWarnings("unchecked")
                            private static <E extends Throwable> void sneakyThrow(Throwable t) throws E {
                                throw (E) t;
                            }
                        }
                        """.replace("%REVISION%", revision))
                .source("plugin.jobs.impl.WeirdFailure", """
                        package plugin.jobs.impl;
                        /** Cannot be serialized: it holds a plain Object. The caller gets a stand-in. */
                        public final class WeirdFailure extends RuntimeException {
                            private final Object lock = new Object();
                            public WeirdFailure(Throwable cause) { super("weird: " + cause.getMessage(), cause); }
                        }
                        """)
                .source("plugin.jobs.impl.Activator", """
                        package plugin.jobs.impl;
                        import plugin.jobs.*;
                        import dev.trampoline.runtime.remote.*;
                        public final class Activator implements org.osgi.framework.BundleActivator {
                            public void start(org.osgi.framework.BundleContext c) {
                                java.util.Hashtable<String, Object> p = new java.util.Hashtable<>();
                                p.put("test.name", "jobs");
                                org.osgi.framework.ServiceRegistration<Jobs> reg =
                                        c.registerService(Jobs.class, new JobsImpl(), p);
                                java.util.Hashtable<String, Object> q = new java.util.Hashtable<>();
                                q.put("test.name", "jobs.launcher");
                                // The seed's scenario: the plugin runs its own exec_bg in another process, with a
                                // lambda written here, in the plugin, capturing a plugin object.
                                java.util.function.Function<RemoteExecutor, Object> launcher = executor -> {
                                    Spec spec = new Spec("from the plugin", 10);
                                    try {
                                        return executor.submit(reg.getReference(), jobs -> jobs.execBg(spec)).getValue();
                                    } catch (Exception e) {
                                        throw new RuntimeException(e);
                                    }
                                };
                                c.registerService(java.util.function.Function.class, launcher, q);
                            }
                            public void stop(org.osgi.framework.BundleContext c) { }
                        }
                        """);
    }
}
