package ai.assay.worker.judge;

import java.math.BigDecimal;

/**
 * What a judging run did.
 *
 * @param judged    results with a preference (cache hits and identical outputs included)
 * @param failed    results without one (answers still unparsable after the re-asks, refused requests)
 * @param cacheHits results taken from the judge cache
 * @param calls     judge requests that got an answer, re-asks included (retries after a failed request not counted)
 * @param reasks    of those calls, the ones that asked again after an answer that gave no preference
 * @param notJudged items left without a result because the budget was reached
 * @param tokens    prompt + completion tokens of the calls
 * @param costUsd   cost of the calls (zero where the judge model has no price)
 */
public record JudgeSummary(
        int judged, int failed, int cacheHits, int calls, int reasks, int notJudged, long tokens, BigDecimal costUsd) {}
