package ai.assay.reference.lmeval.code;

import ai.assay.reference.lmeval.FunctionRef;
import ai.assay.reference.lmeval.MetricSpec;
import ai.assay.reference.lmeval.TaskConfig;

/**
 * Which lm-eval tasks run generated code, and the metric functions of their {@code utils.py} that Assay implements
 * ({@link CodeScoring}): HumanEval's {@code utils.pass_at_k} and MBPP's {@code utils.pass_at_1}.
 */
public final class CodeTasks {

    /** HumanEval's metric ({@code humaneval/utils.py}): code_eval's pass@k for every {@code k} of the entry. */
    public static final String PASS_AT_K = "humaneval:utils.pass_at_k";

    /** MBPP's metric ({@code mbpp/utils.py}): code_eval's pass@1, reported under its own name. */
    public static final String PASS_AT_1 = "mbpp:utils.pass_at_1";

    private CodeTasks() {}

    /** Whether {@code ref}, in a task file of {@code directory}, is one of the metric functions above. */
    public static boolean isMetric(String directory, FunctionRef ref) {
        String key = directory + ":" + ref.key();
        return key.equals(PASS_AT_K) || key.equals(PASS_AT_1);
    }

    /**
     * Whether a task runs the code its model writes: its file says {@code unsafe_code: true} (which lm-eval makes
     * the user confirm with {@code --confirm_run_unsafe_code}), or a metric of it is one of the functions above.
     */
    public static boolean runsCode(TaskConfig config) {
        if (Boolean.TRUE.equals(config.raw().get("unsafe_code"))) {
            return true;
        }
        for (MetricSpec metric : config.metrics()) {
            if (metric.function() != null && isMetric(config.directory(), metric.function())) {
                return true;
            }
        }
        return false;
    }
}
