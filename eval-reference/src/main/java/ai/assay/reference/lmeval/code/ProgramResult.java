package ai.assay.reference.lmeval.code;

import java.util.Objects;

/**
 * How one program ended.
 *
 * @param outcome   how it ended
 * @param exitCode  its exit status, or null when it was killed or timed out
 * @param stdout    what it wrote to standard output, cut to the executor's limit
 * @param stderr    what it wrote to standard error, cut to the executor's limit
 * @param truncated whether either stream was cut
 */
public record ProgramResult(Outcome outcome, Integer exitCode, String stdout, String stderr, boolean truncated) {

    /** How a program ended. */
    public enum Outcome {
        /** It ran to its end and exited 0. */
        PASSED,
        /** It exited non-zero after an {@code AssertionError}. */
        FAILED_ASSERTION,
        /** It exited non-zero for any other reason (an exception, a syntax error, {@code sys.exit(1)}). */
        ERROR,
        /** It ran past its wall-clock limit and was killed with everything it started. */
        TIMEOUT,
        /** A limit (CPU time, memory, processes, file size) or a signal ended it. */
        KILLED
    }

    public ProgramResult {
        Objects.requireNonNull(outcome, "outcome");
        stdout = Objects.requireNonNullElse(stdout, "");
        stderr = Objects.requireNonNullElse(stderr, "");
    }

    public boolean passed() {
        return outcome == Outcome.PASSED;
    }
}
