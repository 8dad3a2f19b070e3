package ai.assay.worker.judge.cache;

import java.math.BigDecimal;
import tools.jackson.databind.JsonNode;

/** A judge answer as cached: the raw completion and what the call that produced it cost. */
public record CachedCompletion(
        String cacheKey,
        JsonNode rawCompletion,
        Integer promptTokens,
        Integer completionTokens,
        BigDecimal costUsd,
        Integer latencyMillis) {}
