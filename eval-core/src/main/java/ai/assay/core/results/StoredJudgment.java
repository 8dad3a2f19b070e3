package ai.assay.core.results;

import java.math.BigDecimal;
import tools.jackson.databind.JsonNode;

/** A judge's verdict as stored, with the attempt of the job that wrote it. */
public record StoredJudgment(
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
        Integer latencyMillis,
        int attempt) {}
