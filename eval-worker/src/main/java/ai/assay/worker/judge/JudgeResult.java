package ai.assay.worker.judge;

import ai.assay.core.results.NewJudgment;
import ai.assay.worker.judge.cache.CachedCompletion;
import ai.assay.worker.judge.client.JudgeResponse;
import java.math.BigDecimal;
import tools.jackson.databind.JsonNode;

/**
 * The judge's verdict on one example. Built by the named constructors, one per way a verdict comes about.
 *
 * @param annotator        the annotator's name
 * @param modelShownFirst  whether the model's output was shown to the judge first (the output order was switched)
 * @param preference       in the original order (1 = reference better, 2 = model better, 1.5 = tie); null when the
 *                         judge's answer gave none or the request failed (see {@code failure})
 * @param rawCompletion    the judge's answer: the OpenAI choice object with {@code text} and {@code total_tokens} as
 *                         alpaca_eval stores it (in the order shown); {@code {"error": ...}} when the request was
 *                         refused; null when no call was needed (identical outputs)
 * @param promptTokens     of every ask of this example in the run (an unparsable answer asked again adds its own;
 *                         see {@link JudgeService}); for a cache hit, the original call's
 * @param costUsd          likewise summed over the asks; null when the judge model has no price; for a cache hit,
 *                         what the original call cost
 * @param latencyMillis    of the last judge call (the original one for a cache hit); null when no call was made
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

    /** The two outputs are the same: a tie without a call, as alpaca_eval scores it. */
    static JudgeResult identical(JudgeItem item, String annotator, boolean modelShownFirst, double preference) {
        return new JudgeResult(
                item, annotator, modelShownFirst, preference, null, null, null, BigDecimal.ZERO, null, false, null);
    }

    /** An answer from the judge cache, with what its original call cost. */
    static JudgeResult cached(
            JudgeItem item, String annotator, boolean modelShownFirst, double preference, CachedCompletion cached) {
        return new JudgeResult(
                item,
                annotator,
                modelShownFirst,
                preference,
                cached.rawCompletion(),
                cached.promptTokens(),
                cached.completionTokens(),
                cached.costUsd(),
                cached.latencyMillis(),
                true,
                null);
    }

    /**
     * What the asks of one example spent: tokens (null while no answer reported any) and cost (null when the judge
     * model has no price).
     */
    record Spend(Integer promptTokens, Integer completionTokens, BigDecimal costUsd) {

        static final Spend NONE = new Spend(null, null, null);

        Spend plus(Integer prompt, Integer completion, BigDecimal cost) {
            return new Spend(sum(promptTokens, prompt), sum(completionTokens, completion), sum(costUsd, cost));
        }

        private static Integer sum(Integer a, Integer b) {
            if (a == null || b == null) {
                return a == null ? b : a;
            }
            return (int) Math.min(Integer.MAX_VALUE, (long) a + b);
        }

        private static BigDecimal sum(BigDecimal a, BigDecimal b) {
            if (a == null || b == null) {
                return a == null ? b : a;
            }
            return a.add(b);
        }
    }

    /** The judge answered with a preference; {@code spent} covers this answer and any asks before it. */
    static JudgeResult answered(
            JudgeItem item,
            String annotator,
            boolean modelShownFirst,
            double preference,
            JudgeResponse response,
            Spend spent) {
        return fromResponse(item, annotator, modelShownFirst, preference, response, spent, null);
    }

    /**
     * The judge answered, but its answer gives no preference that {@code parser} can read, after {@code asks} asks
     * (the first included).
     */
    static JudgeResult unreadable(
            JudgeItem item,
            String annotator,
            boolean modelShownFirst,
            JudgeResponse response,
            Spend spent,
            String parser,
            int asks) {
        return fromResponse(
                item,
                annotator,
                modelShownFirst,
                null,
                response,
                spent,
                "the judge's answer gives no preference (" + parser + ")"
                        + (asks > 1 ? ", asked " + asks + " times" : ""));
    }

    /**
     * The judge refused the request, or it could not be made.
     *
     * @param error {@code {"error": {"message": ..., "status": ...}}}, stored as the raw completion
     */
    static JudgeResult refused(
            JudgeItem item, String annotator, boolean modelShownFirst, JsonNode error, String reason) {
        return new JudgeResult(
                item,
                annotator,
                modelShownFirst,
                null,
                error,
                null,
                null,
                null,
                null,
                false,
                "the judge request failed: " + reason);
    }

    private static JudgeResult fromResponse(
            JudgeItem item,
            String annotator,
            boolean modelShownFirst,
            Double preference,
            JudgeResponse response,
            Spend spent,
            String failure) {
        return new JudgeResult(
                item,
                annotator,
                modelShownFirst,
                preference,
                response.choice(),
                spent.promptTokens(),
                spent.completionTokens(),
                spent.costUsd(),
                response.latencyMillisAsInt(),
                false,
                failure);
    }

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
