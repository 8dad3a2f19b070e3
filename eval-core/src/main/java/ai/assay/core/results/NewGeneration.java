package ai.assay.core.results;

/**
 * A generated answer to store.
 *
 * @param finishReason "eos", "stop", "length", or "provided" for outputs given with the request
 */
public record NewGeneration(
        String exampleId,
        String prompt,
        String output,
        Integer promptTokens,
        Integer outputTokens,
        String finishReason,
        Integer latencyMillis) {}
