package ai.assay.worker.judge.client;

import tools.jackson.databind.JsonNode;

/**
 * The judge's answer to one request.
 *
 * @param choice           the first choice of the chat completion as JSON, with alpaca_eval's extra fields
 *                         {@code text} (the answer text; tool-call arguments for tool answers; " " for an empty
 *                         answer) and {@code total_tokens}: the shape of alpaca_eval's {@code raw_completion}
 * @param promptTokens     from {@code usage}, null if the server sent none
 * @param completionTokens from {@code usage}, null if the server sent none
 * @param latencyMillis    of the request that answered (not counting earlier failed tries)
 */
public record JudgeResponse(JsonNode choice, Integer promptTokens, Integer completionTokens, long latencyMillis) {

    public int totalTokens() {
        return (promptTokens == null ? 0 : promptTokens) + (completionTokens == null ? 0 : completionTokens);
    }

    /** The latency as the judge cache and the results store it (capped, never overflowing). */
    public int latencyMillisAsInt() {
        return (int) Math.min(Integer.MAX_VALUE, latencyMillis);
    }
}
