package ai.assay.worker.engine.prompt;

import static org.assertj.core.api.Assertions.assertThat;

import ai.assay.reference.python.PySlice;
import ai.assay.reference.python.PyStrftime;
import org.junit.jupiter.api.Test;

/** Expected values were printed by CPython 3 (slices, strftime). */
class PythonSemanticsTests {

    @Test
    void slicesArePythons() {
        // list(range(6))[::2], [::-1], [-2::-2], [1:-1:3], [10:0:-4]
        assertThat(PySlice.indices(6, null, null, 2)).containsExactly(0, 2, 4);
        assertThat(PySlice.indices(6, null, null, -1)).containsExactly(5, 4, 3, 2, 1, 0);
        assertThat(PySlice.indices(6, -2, null, -2)).containsExactly(4, 2, 0);
        assertThat(PySlice.indices(6, 1, -1, 3)).containsExactly(1, 4);
        assertThat(PySlice.indices(6, 10, 0, -4)).containsExactly(5, 1);
        assertThat(PySlice.indices(0, null, null, -1)).isEmpty();
    }

    @Test
    void strftimeIsPythons() {
        java.time.ZonedDateTime t = java.time.ZonedDateTime.of(2024, 1, 7, 0, 5, 3, 0, java.time.ZoneOffset.UTC);
        // datetime(2024, 1, 7, 0, 5, 3).strftime(...)
        assertThat(PyStrftime.format(t, "%a %d %b %Y %I:%M:%S %p %j %U %W %w %e %c %x %X %z%Z %%"))
                .isEqualTo("Sun 07 Jan 2024 12:05:03 AM 007 01 01 0  7 Sun Jan  7 00:05:03 2024 01/07/24 00:05:03  %");
    }
}
