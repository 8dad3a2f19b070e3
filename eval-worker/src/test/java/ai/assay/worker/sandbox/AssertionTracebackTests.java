package ai.assay.worker.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import ai.assay.reference.lmeval.code.ProgramResult.Outcome;
import org.junit.jupiter.api.Test;

/** How exit statuses and CPython's tracebacks are read; the sandbox test shows them on real programs. */
class AssertionTracebackTests {

    private static final String ASSERTION = """
            Traceback (most recent call last):
              File "<stdin>", line 3, in <module>
                assert f(1) == 2
                       ^^^^^^^^^
            AssertionError: line one
            line two
            """;

    @Test
    void anUncaughtAssertionErrorIsAFailedAssertionWhateverItsMessage() {
        assertThat(BubblewrapProgramExecutor.classify(1, ASSERTION)).isEqualTo(Outcome.FAILED_ASSERTION);
        assertThat(BubblewrapProgramExecutor.classify(
                        1, "Traceback (most recent call last):\n  File \"<stdin>\", line 1\nAssertionError\n"))
                .isEqualTo(Outcome.FAILED_ASSERTION);
    }

    @Test
    void onlyTheLastTracebackCounts() {
        String chained = ASSERTION
                + "\nDuring handling of the above exception, another exception occurred:\n\n"
                + "Traceback (most recent call last):\n  File \"<stdin>\", line 5\nKeyError: 'AssertionError'\n";
        assertThat(BubblewrapProgramExecutor.classify(1, chained)).isEqualTo(Outcome.ERROR);
    }

    @Test
    void otherStatusesAreErrorsOrKills() {
        assertThat(BubblewrapProgramExecutor.classify(0, ASSERTION)).isEqualTo(Outcome.PASSED);
        assertThat(BubblewrapProgramExecutor.classify(2, ASSERTION)).isEqualTo(Outcome.ERROR);
        assertThat(BubblewrapProgramExecutor.classify(1, "AssertionError\n")).isEqualTo(Outcome.ERROR);
        assertThat(BubblewrapProgramExecutor.classify(137, "")).isEqualTo(Outcome.KILLED);
        assertThat(BubblewrapProgramExecutor.classify(152, "")).isEqualTo(Outcome.KILLED);
    }
}
