package ai.assay.reference.lmeval.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Marks a test class that reads lm-eval's own task files from the shared fixtures ({@link SharedFixtures}): it is
 * skipped, before its class is even initialised, in a checkout without {@code shared/fixtures/lm_eval} beside or
 * above it. Those files carry text that belongs to others (few-shot exemplars), so the repository never holds them.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresSharedFixtures.Condition.class)
public @interface RequiresSharedFixtures {

    /** Enabled where {@link SharedFixtures#find()} finds the fixtures. */
    final class Condition implements ExecutionCondition {

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return SharedFixtures.find().isPresent()
                    ? ConditionEvaluationResult.enabled("shared/fixtures/lm_eval is here")
                    : ConditionEvaluationResult.disabled("no shared/fixtures/lm_eval above the working directory:"
                            + " this test reads lm-eval's own task files, which the repository cannot hold");
        }
    }
}
