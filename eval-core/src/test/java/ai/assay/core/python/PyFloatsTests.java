package ai.assay.core.python;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Expected values printed by CPython 3.11 ({@code repr(float)}). */
class PyFloatsTests {

    @Test
    void reprIsPythons() {
        assertThat(PyFloats.repr(0.1)).isEqualTo("0.1");
        assertThat(PyFloats.repr(1e16)).isEqualTo("1e+16");
        assertThat(PyFloats.repr(1e15)).isEqualTo("1000000000000000.0");
        assertThat(PyFloats.repr(1e-5)).isEqualTo("1e-05");
        assertThat(PyFloats.repr(0.0001)).isEqualTo("0.0001");
        assertThat(PyFloats.repr(-12.345678901234567)).isEqualTo("-12.345678901234567");
        assertThat(PyFloats.repr(2.5e-300)).isEqualTo("2.5e-300");
        assertThat(PyFloats.repr(123456789012345678.0)).isEqualTo("1.2345678901234568e+17");
        assertThat(PyFloats.repr(1.0 / 3)).isEqualTo("0.3333333333333333");
        assertThat(PyFloats.repr(-0.0)).isEqualTo("-0.0");
        assertThat(PyFloats.repr(Double.MIN_VALUE)).isEqualTo("5e-324");
        assertThat(PyFloats.repr(Double.MAX_VALUE)).isEqualTo("1.7976931348623157e+308");
        assertThat(PyFloats.repr(0.1 + 0.2)).isEqualTo("0.30000000000000004");
        assertThat(PyFloats.repr(100.0)).isEqualTo("100.0");
    }

    @Test
    void reprIsPythonsAtTheNotationBoundaries() {
        double[] values = {1e16, 1234567890123456.0, 0.0001, 0.00001, 1.0 / 3, -2.5, 1e22, 123.456, 5e-324,
                1.7976931348623157e308, 100.0, 0.1 + 0.2, Math.pow(2, 60), 9007199254740993.0, 1.5e-7, 12345.678e10};
        List<String> python = List.of("1e+16", "1234567890123456.0", "0.0001", "1e-05", "0.3333333333333333", "-2.5",
                "1e+22", "123.456", "5e-324", "1.7976931348623157e+308", "100.0", "0.30000000000000004",
                "1.152921504606847e+18", "9007199254740992.0", "1.5e-07", "123456780000000.0");
        for (int i = 0; i < values.length; i++) {
            assertThat(PyFloats.repr(values[i])).as("repr(%s)", values[i]).isEqualTo(python.get(i));
        }
        assertThat(PyFloats.repr(Double.NaN)).isEqualTo("nan");
        assertThat(PyFloats.repr(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
    }
}
