package dev.trampoline.runtime.remote.internal.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import dev.trampoline.runtime.remote.internal.wire.MethodCall;

class CallRunnerTest {

    public interface Api {
        String f(Object o);

        String f(String s);

        int fail() throws IOException;
    }

    /** Not public: methods are found through the public interface, as for a typical service. */
    static final class Impl implements Api {
        public String f(Object o) { return "object"; }
        public String f(String s) { return "string"; }
        public int fail() throws IOException { throw new IOException("thrown by the service"); }
    }

    @Test
    void exactParameterTypesChooseAmongOverloads() throws Exception {
        assertEquals("object", CallRunner.invoke(new Impl(),
                new MethodCall("f", new String[] {"java.lang.Object"}, new Object[] {"x"})));
        assertEquals("string", CallRunner.invoke(new Impl(),
                new MethodCall("f", new String[] {"java.lang.String"}, new Object[] {"x"})));
    }

    @Test
    void serviceExceptionIsThrownAsItself() {
        IOException e = assertThrows(IOException.class,
                () -> CallRunner.invoke(new Impl(), new MethodCall("fail", null, new Object[0])));
        assertEquals("thrown by the service", e.getMessage());
    }

    @Test
    void unknownMethodSaysWhatWasLookedFor() {
        NoSuchMethodException e = assertThrows(NoSuchMethodException.class,
                () -> CallRunner.invoke(new Impl(), new MethodCall("g", null, new Object[] {1})));
        assertEquals(true, e.getMessage().contains("no public method g taking 1 argument"));
    }
}
