package ai.assay.core.results;

import java.math.BigDecimal;
import tools.jackson.databind.JsonNode;

/**
 * A judge's verdict to store. output1 is the reference, output2 the evaluated model (alpaca_eval's order);
 * preference uses alpaca_eval's encoding (1 reference better, 2 model better, 1.5 tie), null if unparsable.
 *
 * @param modelShownFirst whether the model's output was shown to the judge first
 * @param latencyMillis   how long the judge took to answer; null for a cache hit or an import
 */
public record NewJudgment(
        String exampleId,
        String annotator,
        String instruction,
        String output1,
        String generator1,
        String output2,
        String generator2,
        boolean modelShownFirst,
        Double preference,
        JsonNode rawCompletion,
        Integer promptTokens,
        Integer completionTokens,
        BigDecimal costUsd,
        boolean cacheHit,
        Integer latencyMillis) {}
