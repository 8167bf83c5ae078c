package dev.trampoline.bench;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

import dev.trampoline.launcher.Trampoline;
import dev.trampoline.launcher.TrampolineRuntime;

/**
 * In-process cost of what a call carries, written and read back: Trampoline's serialization (each class tagged
 * with the bundle it comes from, reading through the filter and the bundle lookup) against plain Java
 * serialization of the same object with one fixed class loader (no origins, no filter), the floor any
 * {@code ObjectOutputStream} design pays.
 * <p>
 * Run for real: Trampoline's classes inside a running framework, loaded from the remote-execution bundle, and
 * the payload built from them, as a parent builds a call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SerializationBenchmark {

    /**
     * {@code call}: a method call with one string argument, as the shell or a proxy sends (the compact plain
     * form); {@code listCall}: the same with a list argument (Java serialization); {@code 64KiB}: a byte[].
     */
    @Param({"call", "listCall", "64KiB"})
    public String payload;

    private Path storage;
    private TrampolineRuntime runtime;
    private MethodHandle write;
    private MethodHandle read;
    private ClassLoader bundleLoader;
    private Object value;
    /** A {@code wire.Payload} of the bundle, as the channel carries it. */
    private Object trampolinePayload;
    private byte[] plainBytes;

    @Setup(Level.Trial)
    public void start() throws Throwable {
        storage = Files.createTempDirectory("trampoline-jmh-");
        runtime = Trampoline.builder().storage(storage).deployFolder(storage.resolve("deploy"))
                .logToConsole(false).logLevel("ERROR").start();
        Bundle remote = Arrays.stream(runtime.bundleContext().getBundles())
                .filter(b -> "dev.trampoline.runtime.remote".equals(b.getSymbolicName())).findFirst().orElseThrow();
        String pkg = "dev.trampoline.runtime.remote.internal.";
        Class<?> serialization = remote.loadClass(pkg + "serial.Serialization");
        Class<?> limits = remote.loadClass(pkg + "serial.ClassFilter$Limits");
        int maxFrame = remote.loadClass(pkg + "wire.ReadLimit").getField("DEFAULT_MAX_FRAME").getInt(null);
        Object instance = serialization.getConstructor(BundleContext.class, limits, int.class)
                .newInstance(remote.getBundleContext(), limits.getField("DEFAULT").get(null), maxFrame);
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        write = lookup.unreflect(serialization.getMethod("write", Object.class)).bindTo(instance);
        Class<?> payloadType = remote.loadClass(pkg + "wire.Payload");
        read = lookup.unreflect(serialization.getMethod("read", payloadType)).bindTo(instance);
        bundleLoader = serialization.getClassLoader();
        value = switch (payload) {
            case "call" -> call(remote, pkg, "bench");
            case "listCall" -> call(remote, pkg, new java.util.ArrayList<>(java.util.List.of("bench")));
            case "64KiB" -> new byte[64 * 1024];
            default -> throw new IllegalArgumentException(payload);
        };
        trampolinePayload = write.invoke(value);
        plainBytes = plainWrite(value);
    }

    /** What the parent sends for {@code greet(argument)} on a Greeter service, built from the bundle's classes. */
    private static Object call(Bundle remote, String pkg, Object argument) throws ReflectiveOperationException {
        Class<?> selector = remote.loadClass(pkg + "wire.ServiceSelector");
        Class<?> method = remote.loadClass(pkg + "wire.MethodCall");
        Class<?> request = remote.loadClass(pkg + "wire.CallRequest");
        Object s = selector.getConstructors()[0].newInstance(new String[] {"dev.trampoline.examples.greeter.Greeter"},
                "dev.trampoline.examples.greeter", "0.1.0", "(component.name=greeter)");
        Object m = method.getConstructors()[0].newInstance("greet", new String[] {"java.lang.String"},
                new Object[] {argument});
        return request.getConstructors()[0].newInstance(s, m, 30_000L);
    }

    @TearDown(Level.Trial)
    public void stop() {
        runtime.close();
        deleteTree(storage);
    }

    @Benchmark
    public Object trampolineWriteAndRead() throws Throwable {
        return read.invoke(write.invoke(value));
    }

    @Benchmark
    public Object plainWriteAndRead() throws IOException, ClassNotFoundException {
        return plainRead(plainWrite(value));
    }

    @Benchmark
    public Object trampolineRead() throws Throwable {
        return read.invoke(trampolinePayload);
    }

    @Benchmark
    public Object plainRead() throws IOException, ClassNotFoundException {
        return plainRead(plainBytes);
    }

    private static byte[] plainWrite(Object value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }

    private Object plainRead(byte[] data) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new FixedLoaderInputStream(new ByteArrayInputStream(data), bundleLoader)) {
            return in.readObject();
        }
    }

    /** Plain deserialization that finds every class through one loader: the least any reader can do. */
    private static final class FixedLoaderInputStream extends ObjectInputStream {
        private final ClassLoader loader;

        FixedLoaderInputStream(InputStream in, ClassLoader loader) throws IOException {
            super(in);
            this.loader = loader;
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            return Class.forName(desc.getName(), false, loader);
        }
    }

    private static void deleteTree(Path root) {
        try (var walk = Files.walk(root)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // a temp folder left behind
        }
    }
}
