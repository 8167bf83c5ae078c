package dev.trampoline.launcher.internal.child;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import dev.trampoline.runtime.contract.internal.ChildArguments;

class ChildMainTest {

    @Test
    void isTheMainClassTheParentStartsChildrenWith() {
        assertEquals(ChildMain.class.getName(), ChildArguments.MAIN_CLASS,
                "the remote bundle starts children with ChildArguments.MAIN_CLASS: move it with ChildMain");
    }
}
