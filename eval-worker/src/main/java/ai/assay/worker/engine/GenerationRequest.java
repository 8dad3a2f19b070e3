package ai.assay.worker.engine;

/**
 * One prompt to complete.
 *
 * @param id           the caller's id for the example, returned with the result
 * @param promptTokens the prompt, already tokenized (the caller decides about BOS and chat templates)
 */
public record GenerationRequest(String id, int[] promptTokens, SamplingParams sampling) {}
