package ai.assay.worker.engine;

import java.util.List;

/**
 * How to pick the next token.
 *
 * @param temperature  0 for greedy decoding
 * @param topP         nucleus sampling mass, 1 for none
 * @param topK         keep only the k most likely tokens, 0 for none
 * @param maxNewTokens the most tokens to generate
 * @param seed         the same seed with the same prompt and model gives the same text
 * @param stop         strings that end the completion; the text is cut before the first one
 */
public record SamplingParams(
        double temperature, double topP, int topK, int maxNewTokens, long seed, List<String> stop) {

    public SamplingParams {
        stop = List.copyOf(stop);
    }

    public static SamplingParams greedy(int maxNewTokens, List<String> stop) {
        return new SamplingParams(0, 1, 0, maxNewTokens, 0, stop);
    }
}
