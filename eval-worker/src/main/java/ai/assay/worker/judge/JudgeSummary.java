package ai.assay.worker.judge;

import java.math.BigDecimal;

/**
 * What a judging run did.
 *
 * @param judged    results with a preference (cache hits and identical outputs included)
 * @param failed    results without one (unparsable answers, refused requests)
 * @param cacheHits results taken from the judge cache
 * @param calls     judge requests that got an answer (retries not counted)
 * @param notJudged items left without a result because the budget was reached
 * @param tokens    prompt + completion tokens of the calls
 * @param costUsd   cost of the calls (zero where the judge model has no price)
 */
public record JudgeSummary(
        int judged, int failed, int cacheHits, int calls, int notJudged, long tokens, BigDecimal costUsd) {}
