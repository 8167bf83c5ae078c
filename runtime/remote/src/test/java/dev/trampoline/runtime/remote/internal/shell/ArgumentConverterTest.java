package dev.trampoline.runtime.remote.internal.shell;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class ArgumentConverterTest {

    public interface Api {
        String greet(String name);

        long add(long a, int b);

        String mode(TimeUnit unit, boolean loud);

        String overloaded(int n);

        String overloaded(String s, String t);
    }

    static final class Impl implements Api {
        public String greet(String name) { return name; }
        public long add(long a, int b) { return a + b; }
        public String mode(TimeUnit unit, boolean loud) { return unit + " " + loud; }
        public String overloaded(int n) { return "int"; }
        public String overloaded(String s, String t) { return "strings"; }
    }

    @Test
    void wordsBecomeTheMethodsParameterTypes() {
        var c = ArgumentConverter.convert(Impl.class, "add", List.of("40", "2"));
        assertArrayEquals(new Object[] {40L, 2}, c.arguments());
        assertArrayEquals(new Object[] {TimeUnit.SECONDS, true},
                ArgumentConverter.convert(Impl.class, "mode", List.of("SECONDS", "true")).arguments());
        assertEquals(1, ArgumentConverter.convert(Impl.class, "overloaded", List.of("7")).method().getParameterCount());
        assertEquals(2, ArgumentConverter.convert(Impl.class, "overloaded", List.of("a", "b")).method().getParameterCount());
    }

    @Test
    void valueOfAndStringConstructorsAreUsed() {
        assertEquals(new BigDecimal("1.5"), ArgumentConverter.convert("1.5", BigDecimal.class));
        assertEquals(Duration.ofSeconds(3), ArgumentConverter.convert("PT3S", Duration.class));
        assertEquals(new StringBuilder("sb").toString(), ArgumentConverter.convert("sb", StringBuilder.class).toString());
    }

    @Test
    void wordsThatDoNotFitAreAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ArgumentConverter.convert(Impl.class, "add", List.of("forty", "2")));
        assertTrue(e.getMessage().contains("'forty' is not a long"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ArgumentConverter.convert(Impl.class, "nope", List.of()));
        assertTrue(e.getMessage().contains("No method nope with 0 argument(s)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ArgumentConverter.convert("maybe", boolean.class));
    }
}
