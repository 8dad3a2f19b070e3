package ai.assay.core.lmeval.python;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Expected values printed by CPython 3.11 ({@code repr}, {@code json.dumps}, {@code str} methods). */
class PythonCompatibilityTests {

    @Test
    void stringMethodsArePythons() {
        assertThat(PyValues.repr(java.util.List.of("a", 1L, 2.5, PyValues.NONE, true)))
                .isEqualTo("['a', 1, 2.5, None, True]");
    }
}
