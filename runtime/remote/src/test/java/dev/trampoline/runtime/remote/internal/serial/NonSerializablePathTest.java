package dev.trampoline.runtime.remote.internal.serial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.util.List;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

class NonSerializablePathTest {

    interface SerializableSupplier<T> extends Supplier<T>, Serializable {
    }

    static final class Holder implements Serializable {
        private static final long serialVersionUID = 1L;
        final Object lock = new Object();
    }

    @Test
    void pointsAtTheCapturedValueOfALambda() {
        Thread captured = new Thread(() -> { });
        SerializableSupplier<String> lambda = () -> captured.getName();

        String path = NonSerializablePath.find(lambda, Thread.class.getName(), "the call");

        assertNotNull(path);
        assertTrue(path.contains("lambda in " + NonSerializablePathTest.class.getName()), path);
        assertTrue(path.contains("captured value 0"), path);
    }

    @Test
    void pointsAtAFieldInsideACollection() {
        String path = NonSerializablePath.find(List.of("a", new Holder()), Object.class.getName(), "the call");

        assertEquals("field 'lock' of " + Holder.class.getName() + " (in the call, element 1)", path);
    }
}
