package ai.assay.core.results;

/** A generated answer as stored, with the attempt of the job that wrote it. */
public record StoredGeneration(
        String exampleId,
        String prompt,
        String output,
        Integer promptTokens,
        Integer outputTokens,
        String finishReason,
        Integer latencyMillis,
        int attempt) {}
