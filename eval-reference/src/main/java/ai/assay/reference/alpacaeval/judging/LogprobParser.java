package ai.assay.reference.alpacaeval.judging;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * AlpacaEval's {@code logprob_parser}: the preference from the log-probabilities the judge gave its answer tokens. For
 * the default AlpacaEval 2 judge: numerator {@code m}, denominators {@code [m, M]}, not binarised, so the preference is
 * 2 - P(m) / (P(m) + P(M)) from the top log-probabilities of the single generated token, in the order shown to the
 * judge.
 *
 * <p>Of a position's {@code top_logprobs}, only entries whose token is exactly one of the tokens are used (the last one
 * wins if a token repeats); a token that is absent counts as probability 0, and if none is present the position has
 * no preference (null).
 */
public final class LogprobParser {

    private final String numeratorToken;
    private final List<String> denominatorTokens;
    private final boolean binarize;
    private final Integer logProbIndex;

    /**
     * @param binarize {@code is_binarize}: 1 if the numerator token's log-probability beats every other denominator
     *     token's, else 2
     * @param logProbIndex {@code log_prob_index}: null for upstream's {@code "batch"} (one preference per generated
     *     position), or the position to read (negative counts from the end), giving one preference
     */
    public LogprobParser(
            String numeratorToken, List<String> denominatorTokens, boolean binarize, Integer logProbIndex) {
        this.numeratorToken = numeratorToken;
        this.denominatorTokens = List.copyOf(denominatorTokens);
        this.binarize = binarize;
        this.logProbIndex = logProbIndex;
    }

    /** {@code is_binarize} and {@code log_prob_index} at upstream's defaults would be true and "batch". */
    public LogprobParser(String numeratorToken, List<String> denominatorTokens, boolean binarize) {
        this(numeratorToken, denominatorTokens, binarize, null);
    }

    /** The parser of {@code weighted_alpaca_eval_gpt4_turbo} and the other weighted AlpacaEval 2 judges. */
    public static LogprobParser weightedAlpacaEval() {
        return new LogprobParser("m", List.of("m", "M"), false);
    }

    /**
     * @param choice one choice of an OpenAI chat completion, as AlpacaEval stores it in {@code raw_completion}
     *     ({@code logprobs.content[i].top_logprobs[j].{token, logprob}})
     * @return one preference per position read; null where there is none
     * @throws IllegalArgumentException if the choice has no log-probabilities in that shape (upstream's assertion,
     *     which its annotator turns into a missing annotation)
     */
    public List<Double> parse(JsonNode choice) {
        JsonNode logprobs = choice == null ? null : choice.get("logprobs");
        JsonNode content = logprobs == null || !logprobs.isObject() ? null : logprobs.get("content");
        if (content == null || !content.isArray()) {
            throw new IllegalArgumentException("the completion has no logprobs.content");
        }
        if (logProbIndex == null) {
            if (content.isEmpty()) {
                throw new IllegalArgumentException("the completion has no generated positions");
            }
            List<Double> preferences = new ArrayList<>(content.size());
            for (JsonNode position : content) {
                preferences.add(preference(topLogprobs(position)));
            }
            return preferences;
        }
        int index = logProbIndex < 0 ? content.size() + logProbIndex : logProbIndex;
        if (index < 0 || index >= content.size()) {
            throw new IllegalArgumentException("the completion has no generated position " + logProbIndex);
        }
        List<Double> preferences = new ArrayList<>(1);
        preferences.add(preference(topLogprobs(content.get(index))));
        return preferences;
    }

    /** For a completion of a single example: its preference, or null for none (including a malformed completion). */
    public Double parseSingle(JsonNode choice) {
        return CompletionParsing.orMissing(() -> parse(choice), 1).get(0);
    }

    private static JsonNode topLogprobs(JsonNode position) {
        JsonNode top = position == null ? null : position.get("top_logprobs");
        if (top == null || !top.isArray()) {
            throw new IllegalArgumentException("a generated position has no top_logprobs");
        }
        return top;
    }

    private Double preference(JsonNode topLogprobs) {
        Map<String, Double> logprobOf = new HashMap<>();
        for (JsonNode entry : topLogprobs) {
            JsonNode token = entry.get("token");
            if (token == null || !token.isString()) {
                continue;
            }
            String text = token.stringValue();
            if (text.equals(numeratorToken) || denominatorTokens.contains(text)) {
                JsonNode logprob = entry.get("logprob");
                if (logprob == null || !logprob.isNumber()) {
                    throw new IllegalArgumentException("top_logprobs entry for '" + text + "' has no logprob");
                }
                logprobOf.put(text, logprob.doubleValue());
            }
        }
        if (logprobOf.isEmpty()) {
            return null;
        }
        double numerator = logprobOf.getOrDefault(numeratorToken, Double.NEGATIVE_INFINITY);
        double out;
        if (binarize) {
            boolean numeratorBest = true;
            for (String token : denominatorTokens) {
                if (!token.equals(numeratorToken)
                        && !(numerator > logprobOf.getOrDefault(token, Double.NEGATIVE_INFINITY))) {
                    numeratorBest = false;
                }
            }
            out = numeratorBest ? 1 : 2;
        } else {
            double probability = Math.exp(numerator - logSumExp(logprobOf));
            // 1 when the first shown output is surely better, 2 when surely worse
            out = 2 - probability;
        }
        return Double.isNaN(out) ? null : out;
    }

    /** scipy's {@code logsumexp} of the denominator tokens' log-probabilities (absent tokens are -inf). */
    private double logSumExp(Map<String, Double> logprobOf) {
        double max = Double.NEGATIVE_INFINITY;
        for (String token : denominatorTokens) {
            max = Math.max(max, logprobOf.getOrDefault(token, Double.NEGATIVE_INFINITY));
        }
        double shift = Double.isInfinite(max) ? 0 : max;
        double sum = 0;
        for (String token : denominatorTokens) {
            sum += Math.exp(logprobOf.getOrDefault(token, Double.NEGATIVE_INFINITY) - shift);
        }
        return Math.log(sum) + shift;
    }
}
