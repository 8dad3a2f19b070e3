package ai.assay.core.task;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Whether this deployment runs the code its models write, under {@code assay.code-execution} (environment
 * {@code ASSAY_CODE_EXECUTION_ENABLED}): a setting of the deployment, never of a request. The code tasks
 * (HumanEval, MBPP and their EvalPlus variants, {@link TaskDefinition#runsCode()}) execute every response as a
 * program; the API refuses them while this is false, and a worker runs programs only in its sandbox.
 *
 * @param enabled false by default: no code runs until an operator turns it on for API and workers alike
 */
@ConfigurationProperties("assay.code-execution")
public record CodeExecutionProperties(boolean enabled) {

    /** The default: code execution off. */
    public static CodeExecutionProperties disabled() {
        return new CodeExecutionProperties(false);
    }
}
