package ai.assay.worker.judge;

import ai.assay.core.results.NewJudgment;
import java.math.BigDecimal;
import tools.jackson.databind.JsonNode;

/**
 * The judge's verdict on one example.
 *
 * @param annotator        the annotator's name
 * @param modelShownFirst  whether the model's output was shown to the judge first (the output order was switched)
 * @param preference       in the original order (1 = reference better, 2 = model better, 1.5 = tie); null when the
 *                         judge's answer gave none or the request failed (see {@code failure})
 * @param rawCompletion    the judge's answer: the OpenAI choice object with {@code text} and {@code total_tokens} as
 *                         alpaca_eval stores it (in the order shown); {@code {"error": ...}} when the request was
 *                         refused; null when no call was needed (identical outputs)
 * @param costUsd          null when the judge model has no price; for a cache hit, what the original call cost
 * @param latencyMillis    of the judge call (the original one for a cache hit); null when no call was made
 * @param cacheHit         the answer came from the judge cache: nothing was spent on it
 * @param failure          why there is no preference, or null
 */
public record JudgeResult(
        JudgeItem item,
        String annotator,
        boolean modelShownFirst,
        Double preference,
        JsonNode rawCompletion,
        Integer promptTokens,
        Integer completionTokens,
        BigDecimal costUsd,
        Integer latencyMillis,
        boolean cacheHit,
        String failure) {

    public boolean failed() {
        return preference == null;
    }

    /**
     * The row to store through the task's {@code TaskStore} (reference = output_1, model = output_2). As
     * {@link NewJudgment} documents, a cache hit stores no latency (this result's {@code latencyMillis} still has the
     * original call's).
     */
    public NewJudgment toNewJudgment() {
        return new NewJudgment(
                item.exampleId(),
                annotator,
                item.instruction(),
                item.referenceOutput(),
                item.referenceGenerator(),
                item.modelOutput(),
                item.modelGenerator(),
                modelShownFirst,
                preference,
                rawCompletion,
                promptTokens,
                completionTokens,
                costUsd,
                cacheHit,
                cacheHit ? null : latencyMillis);
    }
}
