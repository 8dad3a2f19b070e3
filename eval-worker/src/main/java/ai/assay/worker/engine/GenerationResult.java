package ai.assay.worker.engine;

/**
 * A finished completion.
 *
 * @param text          the generated text, cut before the first stop string, special tokens removed
 * @param outputTokens  how many tokens were generated (including a final EOS)
 * @param latencyMillis from the start of the batch that held the row to the row's end
 */
public record GenerationResult(
        String id, String text, int promptTokens, int outputTokens, FinishReason finishReason, long latencyMillis) {}
