package dev.trampoline.runtime.remote.internal.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.trampoline.runtime.remote.CallRejectedException;
import dev.trampoline.runtime.remote.internal.process.JavaHome;

class JdkPoolsTest {

    private final List<JavaHome> made = new ArrayList<>();

    /** Pools whose children's own JDK is {@code runtimes}; the pools made are recorded, without children. */
    private JdkPools pools(JavaHome runtimes) {
        return new JdkPools(runtimes, jdk -> {
            made.add(jdk);
            return new JdkPools.JdkPool(jdk, null, null);
        });
    }

    @Test
    void theChildrensOwnJdkGoesToTheRuntimesPool() {
        JdkPools pools = pools(JavaHome.current());

        assertNull(pools.forCall(System.getProperty("java.home")));
        assertTrue(made.isEmpty());
    }

    @Test
    void anotherJdkGetsOnePoolMadeAtItsFirstCall() {
        JdkPools pools = pools(new JavaHome(Path.of("/opt/default-jdk"), "25"));
        String other = System.getProperty("java.home");

        JdkPools.JdkPool first = pools.forCall(other);

        assertSame(first, pools.forCall(other + "/."), "the same folder, however written");
        assertEquals(List.of(JavaHome.current().home()), made.stream().map(JavaHome::home).toList());
        assertEquals(List.of(first), List.copyOf(pools.all()));
    }

    @Test
    void aFolderWithoutAJdkIsRejectedNamingIt() {
        CallRejectedException e = assertThrows(CallRejectedException.class,
                () -> pools(JavaHome.current()).forCall("/no/such/jdk"));

        assertTrue(e.getMessage().startsWith("The Java home /no/such/jdk does not exist"), e.getMessage());
        assertTrue(made.isEmpty());
    }

    @Test
    void aClosedGroupMakesNoPool() {
        JdkPools pools = pools(new JavaHome(Path.of("/opt/default-jdk"), "25"));
        pools.close();

        assertThrows(CallRejectedException.class, () -> pools.forCall(System.getProperty("java.home")));
        assertTrue(made.isEmpty());
    }
}
