package ai.assay.reference.jinja;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Expected values were printed by CPython 3. */
class PrintedValuesTests {

    /** Jinja2 prints {@code {{ x }}} as Python's str(x); Jinjava's null (undefined or none) prints nothing. */
    @Test
    void templatesPrintPythonsStr() {
        List<Object> none = new java.util.ArrayList<>();
        none.add(null);
        assertThat(JinjaEnvironment.Functions.str(null)).isEmpty();
        assertThat(JinjaEnvironment.Functions.str(none)).isEqualTo("[None]");
        assertThat(JinjaEnvironment.Functions.str(false)).isEqualTo("False");
        assertThat(JinjaEnvironment.Functions.str("it's")).isEqualTo("it's");
        assertThat(JinjaEnvironment.Functions.str(Map.of("k", new StringBuilder("v"))))
                .isEqualTo("{'k': 'v'}");
    }
}
