package ai.assay.worker.judge;

import ai.assay.worker.judge.annotator.Annotator;
import java.math.BigDecimal;
import java.util.Map;

/**
 * Judge prices: an annotator's {@code price_per_token} (alpaca_eval's: USD per prompt or completion token), else
 * {@code assay.judge.prices} by model name (exact, else the longest configured prefix), else unknown.
 */
public final class JudgePricing {

    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    private final Map<String, JudgeProperties.Price> prices;

    public JudgePricing(Map<String, JudgeProperties.Price> prices) {
        this.prices = Map.copyOf(prices);
    }

    public boolean knows(Annotator annotator) {
        return annotator.pricePerToken() != null || price(annotator.model()) != null;
    }

    /** USD for one call, or null if the model has no price. */
    public BigDecimal cost(Annotator annotator, Integer promptTokens, Integer completionTokens) {
        long prompt = promptTokens == null ? 0 : promptTokens;
        long completion = completionTokens == null ? 0 : completionTokens;
        if (annotator.pricePerToken() != null) {
            return annotator.pricePerToken().multiply(BigDecimal.valueOf(prompt + completion));
        }
        JudgeProperties.Price price = price(annotator.model());
        if (price == null) {
            return null;
        }
        BigDecimal promptCost = price.promptPerMillion() == null
                ? BigDecimal.ZERO
                : price.promptPerMillion().multiply(BigDecimal.valueOf(prompt));
        BigDecimal completionCost = price.completionPerMillion() == null
                ? BigDecimal.ZERO
                : price.completionPerMillion().multiply(BigDecimal.valueOf(completion));
        return promptCost.add(completionCost).divide(MILLION);
    }

    private JudgeProperties.Price price(String model) {
        JudgeProperties.Price exact = prices.get(model);
        if (exact != null) {
            return exact;
        }
        String best = null;
        for (String prefix : prices.keySet()) {
            if (model.startsWith(prefix) && (best == null || prefix.length() > best.length())) {
                best = prefix;
            }
        }
        return best == null ? null : prices.get(best);
    }
}
