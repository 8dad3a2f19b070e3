package ai.assay.worker.judge;

import java.math.BigDecimal;

/**
 * What one judging run may spend on judge calls (cache hits are free): tokens (prompt + completion), US dollars,
 * both, or neither. A run stops starting requests once either is reached; the requests already in flight finish, so
 * it may overshoot by at most {@code concurrency} requests.
 *
 * @param maxTokens  null for no token limit
 * @param maxCostUsd null for no dollar limit (a dollar limit needs a price for the judge model)
 */
public record JudgeBudget(Long maxTokens, BigDecimal maxCostUsd) {

    public JudgeBudget {
        if (maxTokens != null && maxTokens < 0 || maxCostUsd != null && maxCostUsd.signum() < 0) {
            throw new IllegalArgumentException("a judge budget cannot be negative");
        }
    }

    public static JudgeBudget unlimited() {
        return new JudgeBudget(null, null);
    }

    public static JudgeBudget tokens(long maxTokens) {
        return new JudgeBudget(maxTokens, null);
    }

    public static JudgeBudget dollars(BigDecimal maxCostUsd) {
        return new JudgeBudget(null, maxCostUsd);
    }

    /** What is left after an earlier attempt spent this much (a resumed evaluation keeps one budget). */
    public JudgeBudget remainingAfter(long spentTokens, BigDecimal spentUsd) {
        return new JudgeBudget(
                maxTokens == null ? null : Math.max(0, maxTokens - spentTokens),
                maxCostUsd == null
                        ? null
                        : maxCostUsd
                                .subtract(spentUsd == null ? BigDecimal.ZERO : spentUsd)
                                .max(BigDecimal.ZERO));
    }

    boolean reached(long tokens, BigDecimal costUsd) {
        return maxTokens != null && tokens >= maxTokens || maxCostUsd != null && costUsd.compareTo(maxCostUsd) >= 0;
    }

    @Override
    public String toString() {
        if (maxTokens == null && maxCostUsd == null) {
            return "unlimited";
        }
        return (maxTokens == null ? "" : maxTokens + " tokens")
                + (maxTokens != null && maxCostUsd != null ? ", " : "")
                + (maxCostUsd == null ? "" : "$" + maxCostUsd.toPlainString());
    }
}
