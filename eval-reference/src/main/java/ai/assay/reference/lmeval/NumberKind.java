package ai.assay.reference.lmeval;

/**
 * What kind of Python number a per-document metric is, which decides how lm-eval's {@code sum()} adds it up:
 * CPython's builtin sum is compensated for Python floats (3.12+), plain for numpy float64 scalars.
 */
public enum NumberKind {
    /** {@code float} or {@code int} (acc, acc_norm, exact_match). */
    PYTHON,
    /** {@code numpy.float64} (TruthfulQA's mc2). */
    NUMPY
}
