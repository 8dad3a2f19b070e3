package ai.assay.reference.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Expected values printed by CPython 3.11 ({@code repr}, {@code str}). */
class PyValuesTests {

    @Test
    void reprIsPythons() {
        assertThat(PyValues.repr(List.of("a", 1L, 2.5, PyValues.NONE, true))).isEqualTo("['a', 1, 2.5, None, True]");
        // repr(["it's", 'say "hi"', 'both \' and "', '\n', None, True, 1.5, {'k': ('v')}])
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("k", "v");
        List<Object> list = new ArrayList<>(List.of("it's", "say \"hi\"", "both ' and \"", "\n"));
        list.add(null);
        list.addAll(List.of(true, 1.5, map));
        assertThat(PyValues.repr(list))
                .isEqualTo("[\"it's\", 'say \"hi\"', 'both \\' and \"', '\\n', None, True, 1.5, {'k': 'v'}]");
        assertThat(PyValues.repr("\u0007é\u00a0")).isEqualTo("'\\x07é\\xa0'");
    }

    /** The Java values chat templates hold: repr([('k', 1), {'a': [None]}, 1e16, -0.0, float('nan')]). */
    @Test
    void reprOfTemplateValuesIsPythons() {
        List<Object> values = new ArrayList<>();
        values.add(Map.entry("k", 1));
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("a", new Object[] {null});
        values.add(map);
        values.add(new BigDecimal("1e16"));
        values.add(-0.0f);
        values.add(Double.NaN);

        assertThat(PyValues.repr(values)).isEqualTo("[('k', 1), {'a': [None]}, 1e+16, -0.0, nan]");
    }

    @Test
    void strIsTheTextItselfForStringsAndReprOtherwise() {
        assertThat(PyValues.str("it's")).isEqualTo("it's");
        assertThat(PyValues.str(PyValues.NONE)).isEqualTo("None");
        assertThat(PyValues.str(false)).isEqualTo("False");
        assertThat(PyValues.str(List.of(PyValues.NONE, "x"))).isEqualTo("[None, 'x']");
    }

    /** lm-eval's values are a closed set; chat templates print anything else as its toString(). */
    @Test
    void otherObjectsAreRefusedUnlessTheCallerSaysHowToWriteThem() {
        Object other = new Object() {
            @Override
            public String toString() {
                return "other";
            }
        };

        assertThatThrownBy(() -> PyValues.repr(List.of(other))).isInstanceOf(IllegalArgumentException.class);
        assertThat(PyValues.repr(List.of(other), String::valueOf)).isEqualTo("[other]");
        assertThat(PyValues.str(other, String::valueOf)).isEqualTo("other");
    }
}
